"""Provides ExercisePane: an exercise's statement (Markdown), its hints (a HintsPanel), the
results of the latest run, and the reference solution once shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from grader.exercises.model import Exercise
from grader.tui.cjk import protect_inline_code
from grader.tui.strings import t
from grader.tui.widgets.check_results import CheckResults
from grader.tui.widgets.hints_panel import HintsPanel

__all__ = ["ExercisePane"]


class ExercisePane(VerticalScroll):
    """The reading side of the exercise screen.

    Args:
        exercise: The exercise.
        lang: "zh" or "en".
    """

    def __init__(self, exercise: Exercise, lang: str) -> None:
        super().__init__(id="exercise-pane")
        self.exercise = exercise
        self.lang = lang
        self.solution_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Markdown(self._statement(), id="statement")
        yield HintsPanel(self.exercise, self.lang)
        yield CheckResults()
        yield Static("", id="solution-label", classes="section-label")
        yield Markdown("", id="solution")

    def on_mount(self) -> None:
        self.apply_lang(self.lang)

    @property
    def results(self) -> CheckResults:
        return self.query_one(CheckResults)

    @property
    def hints(self) -> HintsPanel:
        return self.query_one(HintsPanel)

    def _statement(self) -> str:
        spec = self.exercise.spec
        text = spec.statement.get(self.lang)
        return protect_inline_code(f"# {spec.title.get(self.lang)}\n\n{text}")

    def show_solution(self, text: str) -> None:
        """Show the reference solution ``text`` (Python source)."""
        self.solution_text = text
        self._refresh_solution()
        self.query_one("#solution", Markdown).scroll_visible(animate=False)

    def _refresh_solution(self) -> None:
        label = self.query_one("#solution-label", Static)
        body = self.query_one("#solution", Markdown)
        shown = self.solution_text is not None
        label.display = body.display = shown
        if shown:
            label.update(Content(t("ex_solution_title", self.lang)))
            body.update(f"```python\n{(self.solution_text or '').rstrip()}\n```")

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#statement", Markdown).update(self._statement())
        self.hints.apply_lang(lang)
        self._refresh_solution()
        self.results.apply_lang(lang)
