"""Provides ExercisePane: an exercise's statement (Markdown), its hints (a HintsPanel) and the
results of the latest run (the reference solution opens over the whole screen: SolutionScreen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from grader.exercises.model import Exercise
from grader.tui.cjk import protect_inline_code
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

    def compose(self) -> ComposeResult:
        yield Markdown(self._statement(), id="statement")
        yield HintsPanel(self.exercise, self.lang)
        yield CheckResults()

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

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#statement", Markdown).update(self._statement())
        self.hints.apply_lang(lang)
        self.results.apply_lang(lang)
