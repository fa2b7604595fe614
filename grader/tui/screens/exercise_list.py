"""Provides ExerciseListScreen: the course's code exercises with the learner's status of each
(not started, in progress, public checks pass, accepted), best score, topic and device."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events, on
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

_COLUMNS = ("col_exercise", "col_status", "col_best", "col_points", "col_device", "col_title")
"""The id first (what the learner opens and types), then status and best score, so that all
three read at 80 columns; the title takes what is left of the width and is cut with "…"."""
_CELL_PADDING = 2
"""DataTable's padding around each cell (one cell each side)."""
_MIN_TITLE = 6


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
        due = set(self.exercises.due())
        rows = []
        for exercise in self.exercises.exercises:
            state = states[exercise.id]
            spec = exercise.spec
            rows.append(
                [
                    exercise.id,
                    t("st_review_due", lang) if exercise.id in due else status_label(state, lang),
                    best_label(state),
                    points(spec.points),
                    t(f"dev_{spec.device}", lang),
                    f"{spec.title.get(lang)} · {', '.join(spec.tags)}",
                ]
            )
        room = self._title_room(rows, lang)
        for exercise, row_cells in zip(self.exercises.exercises, rows, strict=True):
            title = row_cells[-1]
            if cell_len(title) > room:
                title = set_cell_size(title, room - 1) + "…"
            table.add_row(*row_cells[:-1], title, key=exercise.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _title_room(self, rows: list[list[str]], lang: str) -> int:
        """The cells left for the title column at the table's current width."""
        used = 2  # the vertical scrollbar
        for index, key in enumerate(_COLUMNS[:-1]):
            widest = max([cell_len(t(key, lang)), *(cell_len(r[index]) for r in rows)])
            used += widest + _CELL_PADDING
        width = self.table.content_region.width or self.size.width or 80
        title = max(cell_len(t("col_title", lang)), _MIN_TITLE)
        return max(title, width - used - _CELL_PADDING)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self.call_after_refresh(self.refill)

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
