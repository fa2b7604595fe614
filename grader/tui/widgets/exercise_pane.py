"""Provides ExercisePane: an exercise's statement (Markdown), its hints revealed one at a time,
the reference solution once shown, and the results of the latest run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Markdown, Static

from grader.exercises.model import Exercise
from grader.tui.cjk import protect_inline_code
from grader.tui.strings import t
from grader.tui.widgets.check_results import CheckResults

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
        self.hints_shown = 0
        self.solution_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Markdown(self._statement(), id="statement")
        yield Markdown("", id="hints")
        yield Button("", id="show-hint", compact=True)
        yield CheckResults()
        yield Static("", id="solution-label", classes="section-label")
        yield Markdown("", id="solution")

    def on_mount(self) -> None:
        self.apply_lang(self.lang)

    @property
    def results(self) -> CheckResults:
        return self.query_one(CheckResults)

    def _statement(self) -> str:
        spec = self.exercise.spec
        text = spec.statement.get(self.lang)  # type: ignore[arg-type]
        return protect_inline_code(f"# {spec.title.get(self.lang)}\n\n{text}")  # type: ignore[arg-type]

    def _hints(self) -> str:
        hints = self.exercise.spec.hints[: self.hints_shown]
        total = len(self.exercise.spec.hints)
        colon = "：" if self.lang == "zh" else ": "  # outside the ** (see strings.md_label)
        parts = [
            f"**{t('ex_hint_n', self.lang, i=i + 1, n=total)}**{colon}" + hint.get(self.lang)  # type: ignore[arg-type]
            for i, hint in enumerate(hints)
        ]
        return protect_inline_code("\n\n".join(parts))

    def show_next_hint(self) -> bool:
        """Reveal one more hint; False when every hint is already shown."""
        if self.hints_shown >= len(self.exercise.spec.hints):
            return False
        self.hints_shown += 1
        self._refresh_hints()
        self.query_one("#hints", Markdown).scroll_visible(animate=False)
        return True

    def _refresh_hints(self) -> None:
        hints = self.query_one("#hints", Markdown)
        hints.update(self._hints())
        hints.display = self.hints_shown > 0
        button = self.query_one("#show-hint", Button)
        total = len(self.exercise.spec.hints)
        button.label = t("ex_hint_button", self.lang, shown=self.hints_shown, n=total)
        button.display = self.hints_shown < total

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
        self._refresh_hints()
        self._refresh_solution()
        self.results.apply_lang(lang)
