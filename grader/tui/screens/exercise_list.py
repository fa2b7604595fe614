"""Provides ExerciseListScreen: the course's code exercises with the learner's status of each
(not started, in progress, public checks pass, accepted), best score, topic and device."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import ColumnKey

from grader.study.exercise_progress import ExerciseState
from grader.study.exercise_study import ExerciseStudy
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.strings import t
from grader.tui.widgets.check_results import points

__all__ = ["ExerciseListScreen", "status_label"]

_COLUMNS = ("col_exercise", "col_topic", "col_device", "col_points", "col_status", "col_best")


def status_label(state: ExerciseState, lang: str) -> str:
    """The status in words: "accepted", "public checks pass", ..."""
    return t(f"st_{state.status}", lang)


def best_label(state: ExerciseState) -> str:
    """The best submitted score as "3/4", or "–" before the first submission."""
    if state.best_score is None or state.max_score is None:
        return "–"
    return f"{points(state.best_score)}/{points(state.max_score)}"


class ExerciseListScreen(LocalizedScreen):
    """Every exercise of the course; Enter opens the one under the cursor."""

    BINDINGS = [
        *LANG_BINDINGS,
        Binding("ctrl+o", "open", "Open", id="open", priority=True),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, exercises: ExerciseStudy) -> None:
        super().__init__()
        self.exercises = exercises

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        yield Static("", id="exercise-list-help", classes="muted")
        yield DataTable(id="exercise-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refill()
        self.table.focus()

    def on_screen_resume(self) -> None:
        """Back from an exercise: its status may have changed."""
        self.refill()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#exercise-table", DataTable)

    def refill(self) -> None:
        """Fill the table (and the labels) in the current language, keeping the cursor row."""
        lang = self.lang
        self.query_one("#title-bar", Static).update(Content(t("ex_list_title", lang)))
        help_key = "ex_list_help" if self.exercises.exercises else "ex_none"
        self.query_one("#exercise-list-help", Static).update(Content(t(help_key, lang)))
        table = self.table
        row = table.cursor_row
        if not table.columns:
            for key in _COLUMNS:
                table.add_column(t(key, lang), key=key)
        for key in _COLUMNS:
            table.columns[ColumnKey(key)].label = Text(t(key, lang))
        table.clear()
        states = self.exercises.states()
        for exercise in self.exercises.exercises:
            state = states[exercise.id]
            spec = exercise.spec
            table.add_row(
                f"{spec.title.get(lang)} ({exercise.id})",
                ", ".join(spec.tags),
                t(f"dev_{spec.device}", lang),
                points(spec.points),
                status_label(state, lang),
                best_label(state),
                key=exercise.id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_open(self) -> None:
        """Open the exercise under the cursor."""
        table = self.table
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.open_exercise(key)

    def open_exercise(self, exercise_id: str) -> None:
        """Show the exercise screen of ``exercise_id``."""
        exercise = self.exercises.exercise(exercise_id)
        self.app.open_screen("exercise", self.exercises, exercise, self.app.grading)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_exercise(event.row_key.value)

    def action_back(self) -> None:
        self.app.pop_screen()

    def apply_lang(self, lang: str) -> None:
        self.refill()
