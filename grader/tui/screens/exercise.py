"""Provides ExerciseScreen: read an exercise, write the code, run the public checks, submit.

The left pane has the statement, hints (one at a time), the results of the latest run and, once
the exercise is accepted, the reference solution. The right pane has the learner's file in the
built-in editor; the learner may also edit it in ``$EDITOR`` (the app suspends meanwhile) or in
any editor with watch mode on, which runs the public checks whenever the file is saved. The file
lives in the workspace, saved as it is typed, so it survives restarts.

Run checks (public checks) and Submit (hidden checks) run through :class:`GradingService` in a
thread worker: the screen stays responsive, shows progress per check, and Esc / Ctrl+G cancels
(killing the whole grading process tree). A policy violation or an error moves the editor's
cursor to the line it points at. Every run is stored in the progress store.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Footer, Static, TextArea

from grader.exercises.model import Exercise
from grader.study.exercise_study import ExerciseStudy
from grader.study.workspace import fingerprint
from grader.tui.grading_job import (
    GradingService,
    JobCancelled,
    JobFailed,
    JobFinished,
    Kind,
    WorkerReady,
)
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.check_results import first_failing_line, points
from grader.tui.widgets.code_editor import CodeEditor
from grader.tui.widgets.device_picker import DevicePicker
from grader.tui.widgets.exercise_pane import ExercisePane
from grader.tui.widgets.job_bar import JobBar

if TYPE_CHECKING:
    from grader.runner.result import ExerciseResult

__all__ = ["ExerciseScreen"]
SAVE_DELAY_S = 0.4
"""Seconds after the last keystroke before the editor's text is written to the workspace."""
WATCH_INTERVAL_S = 0.5
"""How often the learner's file is checked for changes made outside the app."""


class ExerciseScreen(LocalizedScreen):
    """One code exercise.

    Args:
        exercises: The course's exercises, workspace and progress.
        exercise: The exercise to show.
        grading: The app's handle on the grader.
    """

    BINDINGS = [
        *LANG_BINDINGS,
        Binding("f1", "hint", "Hint", id="hint", priority=True),
        Binding("f5", "run_checks", "Run checks", id="run_checks", priority=True),
        Binding("f6", "submit", "Submit", id="submit_code", priority=True),
        Binding("ctrl+g", "cancel", "Cancel", id="cancel_job", priority=True),
        Binding("ctrl+o", "external_editor", "$EDITOR", id="ext_editor", priority=True),
        Binding("f8", "toggle_watch", "Watch", id="watch", priority=True),
        Binding("f9", "reset", "Reset", id="reset_code", priority=True),
        Binding("f4", "solution", "Solution", id="solution", priority=True),
        Binding("ctrl+s", "save", "Save", id="save", priority=True, show=False),
        Binding("escape", "back", "Back", id="back"),
        Binding("question_mark", "hint", show=False),
        Binding("r", "run_checks", show=False),
        Binding("s", "submit", show=False),
        Binding("e", "external_editor", show=False),
        Binding("w", "toggle_watch", show=False),
    ]

    def __init__(self, exercises: ExerciseStudy, exercise: Exercise, grading: GradingService):
        super().__init__()
        self.exercises = exercises
        self.exercise = exercise
        self.grading = grading
        self.watching = False
        self._rerun_when_done = False
        self._disk_print = ""
        self._save_timer: Timer | None = None
        self._pending_text: str | None = None
        """The editor's text not yet written to the workspace."""

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        code = self.exercises.open_code(self.exercise)
        self._disk_print = fingerprint(code)
        yield Static("", id="title-bar")
        with Horizontal(id="exercise-body"):
            yield ExercisePane(self.exercise, self.lang)
            with Vertical(id="exercise-work"):
                with Horizontal(id="exercise-toolbar"):
                    yield Button("", id="run-checks", compact=True)
                    yield Button("", id="submit", variant="primary", compact=True)
                    yield Button("", id="cancel", variant="error", compact=True)
                    yield Static("", id="watch-badge")
                    yield DevicePicker(self.exercise.spec.device, self.lang)
                yield Static("", id="file-label", classes="muted")
                yield CodeEditor(code)
                yield JobBar(self.grading, self.lang)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).display = False
        self.apply_lang(self.lang)
        self.editor.focus()
        self.set_interval(WATCH_INTERVAL_S, self.check_disk)
        self.grading.start_in_background(lambda: self.post_message(self._ready_message()))

    def on_unmount(self) -> None:
        self.save_now()

    def on_screen_suspend(self) -> None:
        """Another screen (a confirmation, the app quitting) covers this one: save first."""
        self.save_now()

    @property
    def editor(self) -> CodeEditor:
        return self.query_one(CodeEditor)

    @property
    def pane(self) -> ExercisePane:
        return self.query_one(ExercisePane)

    @property
    def job_bar(self) -> JobBar:
        return self.query_one(JobBar)

    @property
    def running(self) -> Kind | None:
        """The kind of grading job running, or None."""
        return self.job_bar.running

    # -- texts -----------------------------------------------------------------------------

    def apply_lang(self, lang: str) -> None:
        labels = {"#run-checks": "run_checks", "#submit": "submit_code", "#cancel": "cancel_job"}
        keys = {"#run-checks": "F5", "#submit": "F6", "#cancel": "Esc"}
        for selector, key in labels.items():
            self.query_one(selector, Button).label = f"{self.t(key)} ({keys[selector]})"
        path = self.exercises.workspace.path(self.exercise)
        self.query_one("#file-label", Static).update(Content(self.t("ex_file", path=str(path))))
        self.query_one("#watch-badge", Static).update(
            Content(self.t("ex_watch_badge") if self.watching else "")
        )
        self.update_header()
        for widget in (self.pane, self.job_bar, self.query_one(DevicePicker)):
            widget.apply_lang(lang)

    def update_header(self) -> None:
        """The title bar: title, points, device, the learner's status and best score."""
        spec = self.exercise.spec
        state = self.exercises.state(self.exercise.id)
        status = self.t(f"st_{state.status}")
        if state.best_score is not None and state.max_score is not None:
            best = self.t("ex_best", best=points(state.best_score), max=points(state.max_score))
            status += f" · {best}"
        header = self.t(
            "ex_header",
            title=spec.title.get(self.lang),  # type: ignore[arg-type]
            points=self.t("ex_point" if spec.points == 1 else "ex_points", n=points(spec.points)),
            device=self.t(f"dev_{spec.device}"),
            status=status,
        )
        self.query_one("#title-bar", Static).update(Content(header))

    # -- device ----------------------------------------------------------------------------

    def _ready_message(self) -> WorkerReady:
        return WorkerReady(cuda=bool(self.grading.cuda), error=self.grading.error)

    def on_worker_ready(self, message: WorkerReady) -> None:
        self.query_one(DevicePicker).set_cuda(self.grading.cuda)
        self.job_bar.worker_ready()
        if message.error:
            self.notify(self.t("ex_failed", error=message.error), severity="error")

    # -- the learner's file ----------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def _edited(self, event: TextArea.Changed) -> None:
        self._pending_text = event.text_area.text
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY_S, self.save_now)

    def save_now(self) -> None:
        """Write the editor's text to the workspace (when it differs from the file)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        text, self._pending_text = self._pending_text, None
        if text is not None and fingerprint(text) != self._disk_print:
            self.exercises.save_code(self.exercise, text)
            self._disk_print = fingerprint(text)
            if self.is_mounted:
                self.update_header()  # the first change makes it "in progress"

    def check_disk(self) -> None:
        """Reload the file when another editor changed it; in watch mode, run the public checks."""
        if self._save_timer is not None:
            return  # the learner is typing here; their text is written in a moment
        text = self.exercises.workspace.read(self.exercise)
        if fingerprint(text) == self._disk_print:
            return
        self.load_code(text)
        if self.watching:
            self.request_run("public", from_watch=True)
        else:
            self.notify(self.t("ex_reloaded"))

    def load_code(self, text: str) -> None:
        """Show ``text`` in the editor as the file's contents (keeping the cursor's line)."""
        self._disk_print = fingerprint(text)
        editor = self.editor
        row = editor.cursor_location[0]
        editor.load_text(text)
        editor.move_cursor((min(row, editor.document.line_count - 1), 0))
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self._pending_text = None

    def action_save(self) -> None:
        """Save now; in watch mode a save runs the public checks, as from any editor."""
        self.save_now()
        path = self.exercises.workspace.path(self.exercise)
        self.notify(self.t("ex_saved", path=str(path)), timeout=2)
        if self.watching:
            self.request_run("public", from_watch=True)

    def action_external_editor(self) -> None:
        """Edit the file in ``$VISUAL`` / ``$EDITOR``; the app suspends until it exits."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(self.t("ex_editor_missing"), severity="warning")
            return
        self.save_now()
        path = self.exercises.workspace.path(self.exercise)
        try:
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except SuspendNotSupported:
            self.notify(self.t("ex_no_suspend", path=str(path)), severity="warning")
            return
        except (OSError, ValueError) as exc:
            self.notify(self.t("ex_editor_failed", editor=editor, error=exc), severity="error")
            return
        self.check_disk()

    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        self.notify(self.t("ex_watch_on" if self.watching else "ex_watch_off"))
        self.query_one("#watch-badge", Static).update(
            Content(self.t("ex_watch_badge") if self.watching else "")
        )

    def action_reset(self) -> None:
        """Put the starter back, after a confirmation."""
        if self.running:
            self.notify(self.t("ex_busy"), severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.load_code(self.exercises.reset_code(self.exercise))
                self.notify(self.t("ex_reset_done"))
                self.editor.focus()

        self.app.open_screen(
            "confirm", "ex_confirm_reset", None, "ex_reset_yes", "ex_reset_no", callback=confirmed
        )

    # -- hints and solution ----------------------------------------------------------------

    def action_hint(self) -> None:
        if not self.pane.show_next_hint():
            self.notify(self.t("ex_no_more_hints"))

    def action_solution(self) -> None:
        """Show the reference solution, once the exercise is accepted."""
        if self.exercises.state(self.exercise.id).status != "accepted":
            self.notify(self.t("ex_solution_locked"), severity="warning")
            return
        if self.exercise.solution is None:
            self.notify(self.t("ex_solution_missing"), severity="warning")
            return
        self.pane.show_solution(self.exercise.solution.read_text(encoding="utf-8"))

    # -- grading ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running is not None
        if action in ("run_checks", "submit", "reset"):
            return None if self.running else True
        if action == "solution":
            return self.exercises.state(self.exercise.id).status == "accepted"
        return True

    def action_run_checks(self) -> None:
        self.request_run("public")

    def action_submit(self) -> None:
        self.request_run("hidden")

    def request_run(self, kind: Kind, *, from_watch: bool = False) -> None:
        """Save the file and grade it (public or hidden checks) in a thread worker."""
        if self.running:
            if from_watch:
                self._rerun_when_done = True
            else:
                self.notify(self.t("ex_busy"), severity="warning")
            return
        if kind == "public" and not self.exercise.public_checks:
            self.notify(self.t("ex_no_public"), severity="warning")
            return
        self.save_now()
        if not self.grading.ready:
            self.grading.start_in_background(lambda: self.post_message(self._ready_message()))
        path = self.exercises.workspace.path(self.exercise)
        self.job_bar.start(self.exercise, path, kind, self.query_one(DevicePicker).chosen)
        self._show_running(True)

    def action_cancel(self) -> None:
        """Cancel the running job (its whole process tree is killed)."""
        self._rerun_when_done = False
        self.job_bar.cancel()

    def action_back(self) -> None:
        """Esc: cancel a running job, else back to the exercise list."""
        if self.running:
            self.action_cancel()
            return
        self.save_now()
        self.app.pop_screen()

    def _show_running(self, running: bool) -> None:
        self.query_one("#cancel", Button).display = running
        self.query_one("#run-checks", Button).disabled = running
        self.query_one("#submit", Button).disabled = running
        self.refresh_bindings()

    def on_job_finished(self, message: JobFinished) -> None:
        result: ExerciseResult = message.result
        was_accepted = self.exercises.state(self.exercise.id).status == "accepted"
        self.exercises.record(result)
        self._show_running(False)
        self.pane.results.show(result, self.lang)
        self.update_header()
        line = first_failing_line(result)
        if line is not None:
            self.editor.go_to_line(line)
            self.editor.focus()
            self.notify(self.t("res_cursor", line=line), severity="warning")
        else:
            self.pane.results.scroll_visible(animate=False)
        if not was_accepted and self.exercises.state(self.exercise.id).status == "accepted":
            self.notify(self.t("res_accepted_now"), timeout=6)
        self._maybe_rerun()

    def on_job_cancelled(self, message: JobCancelled) -> None:
        self._show_running(False)
        self._maybe_rerun()

    def on_job_failed(self, message: JobFailed) -> None:
        self._show_running(False)
        self.notify(self.t("ex_failed", error=message.error), severity="error", timeout=8)

    def _maybe_rerun(self) -> None:
        if self._rerun_when_done:
            self._rerun_when_done = False
            self.request_run("public", from_watch=True)

    # -- buttons ---------------------------------------------------------------------------

    @on(Button.Pressed, "#run-checks")
    def _run_pressed(self) -> None:
        self.action_run_checks()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#show-hint")
    def _hint_pressed(self) -> None:
        self.action_hint()
