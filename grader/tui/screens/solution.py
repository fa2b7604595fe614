"""Provides SolutionScreen: an accepted exercise's reference solution over the whole screen, in a
read-only editor (line numbers, Python highlighting, horizontal scrolling), so no line is cut by
the narrow statement pane. Esc closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Static, TextArea
from textual.widgets.text_area import LanguageDoesNotExist

from grader.exercises.model import Exercise
from grader.tui.screens.base import LANG_BINDINGS, LocalizedModal

__all__ = ["SolutionScreen"]


class SolutionScreen(LocalizedModal):
    """The reference solution ``text`` of ``exercise`` (or, with ``title_key="ex_mine_title"``,
    the learner's own accepted code); dismissed by Esc."""

    BINDINGS = [*LANG_BINDINGS, Binding("escape", "close", "Close", id="close")]

    def __init__(self, exercise: Exercise, text: str, title_key: str = "ex_solution_title") -> None:
        super().__init__()
        self.exercise = exercise
        self.text = text
        self.title_key = title_key

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title()), id="title-bar")
        options = dict(read_only=True, show_line_numbers=True, soft_wrap=False, id="solution-code")
        try:
            yield TextArea(self.text, language="python", theme="monokai", **options)  # type: ignore[arg-type]
        except LanguageDoesNotExist:  # no tree-sitter: plain text
            yield TextArea(self.text, **options)  # type: ignore[arg-type]
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#solution-code", TextArea).focus()

    def _title(self) -> str:
        return f"{self.t(self.title_key)} · {self.exercise.spec.title.get(self.lang)}"

    def action_close(self) -> None:
        self.dismiss(None)

    def apply_lang(self, lang: str) -> None:
        self.query_one("#title-bar", Static).update(Content(self._title()))
