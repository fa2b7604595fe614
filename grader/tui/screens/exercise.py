"""Provides ExerciseScreen: read an exercise, write the code, run the public checks, submit.

The left pane has the statement, hints (one at a time), the results of the latest run and, once
the exercise is accepted, the reference solution. The right pane has the learner's file in the
built-in editor; the learner may also edit it in ``$EDITOR`` (the app suspends meanwhile) or in
any editor with watch mode on, which runs the public checks whenever the file is saved. The file
lives in the workspace, saved as it is typed, so it survives restarts.

The screen only composes, labels and routes; each job is a part of its own:

- :class:`~grader.tui.controllers.code_file.CodeFile`: the editor's text and the workspace file;
- :class:`~grader.tui.controllers.watch_mode.WatchMode`: outside changes and watch mode (F8);
- :class:`~grader.tui.controllers.external_editor.ExternalEditor`: ``$EDITOR`` (Ctrl+O);
- :class:`~grader.tui.controllers.grading_run.GradingRun`: Run checks / Submit in a thread
  worker, Esc / Ctrl+G cancels (killing the whole grading process tree), results stored;
- :class:`~grader.tui.controllers.code_reset.CodeReset`: back to the starter (F9);
- spaced review (:mod:`grader.study.exercise_review`): opening a due exercise starts it afresh
  from the starter; F3 shows the learner's kept accepted code; hints shown count in the review;
- widgets: :class:`ExercisePane` (statement, :class:`HintsPanel`, results, solution),
  :class:`ExerciseToolbar`, :class:`CodeEditor`, :class:`JobBar`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Static, TextArea

from grader.exercises.model import Exercise
from grader.study.exercise_study import ExerciseStudy
from grader.tui.controllers.code_file import CodeFile
from grader.tui.controllers.code_reset import CodeReset
from grader.tui.controllers.external_editor import ExternalEditor
from grader.tui.controllers.grading_run import GradingRun
from grader.tui.controllers.watch_mode import WatchMode
from grader.tui.grading_job import (
    GradingService,
    JobCancelled,
    JobFailed,
    JobFinished,
    Kind,
    WorkerReady,
)
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.check_results import points
from grader.tui.widgets.code_editor import CodeEditor
from grader.tui.widgets.exercise_pane import ExercisePane
from grader.tui.widgets.exercise_toolbar import ExerciseToolbar
from grader.tui.widgets.hints_panel import HintsPanel
from grader.tui.widgets.job_bar import JobBar

__all__ = ["ExerciseScreen"]


class ExerciseScreen(LocalizedScreen):
    """One code exercise.

    Args:
        exercises: The course's exercises, workspace and progress.
        exercise: The exercise to show.
        grading: The app's handle on the grader.
    """

    FOOTER_SPARE = ("watch", "ext_editor", "reset_code", "back", "hint")
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
        Binding("f3", "my_code", "My solution", id="my_code", priority=True),
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
        self.code = CodeFile(exercises, exercise, self, on_saved=self._code_saved)
        self.grading_run = GradingRun(self, grading, self.code)
        self.watcher = WatchMode(self, self.code, self.grading_run)
        self.external_editor = ExternalEditor(self, self.code, after=self.watcher.poll)
        self.code_reset = CodeReset(self, self.code, busy=lambda: bool(self.running))

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        code = self.code.open()
        yield Static("", id="title-bar")
        with Horizontal(id="exercise-body"):
            yield ExercisePane(self.exercise, self.lang)
            with Vertical(id="exercise-work"):
                yield ExerciseToolbar(self.exercise.spec.device, self.lang)
                yield Static("", id="file-label", classes="muted")
                yield CodeEditor(code)
                yield JobBar(self.grading, self.lang)
        yield Footer()

    def on_mount(self) -> None:
        self.apply_lang(self.lang)
        self.editor.focus()
        self.watcher.start()
        self.grading_run.start_worker()
        if self.exercises.in_review(self.exercise):
            self.notify(self.t("ex_review_started"), timeout=8)

    def on_unmount(self) -> None:
        self.code.save_now()

    def on_screen_suspend(self) -> None:
        """Another screen (a confirmation, the app quitting) covers this one: save first."""
        self.code.save_now()

    @property
    def editor(self) -> CodeEditor:
        return self.query_one(CodeEditor)

    @property
    def pane(self) -> ExercisePane:
        return self.query_one(ExercisePane)

    @property
    def toolbar(self) -> ExerciseToolbar:
        return self.query_one(ExerciseToolbar)

    @property
    def job_bar(self) -> JobBar:
        return self.query_one(JobBar)

    @property
    def running(self) -> Kind | None:
        """The kind of grading job running, or None."""
        return self.grading_run.running

    @property
    def watching(self) -> bool:
        """Whether watch mode is on."""
        return self.watcher.on

    # -- texts -----------------------------------------------------------------------------

    def apply_lang(self, lang: str) -> None:
        self.toolbar.apply_lang(lang)
        self.query_one("#file-label", Static).update(
            Content(self.t("ex_file", path=str(self.code.path)))
        )
        self.update_header()
        for widget in (self.pane, self.job_bar):
            widget.apply_lang(lang)

    def update_header(self) -> None:
        """The title bar: title, points, device, the learner's status and best score."""
        spec = self.exercise.spec
        state = self.exercises.state(self.exercise.id)
        status = self.t(f"st_{state.status}")
        if state.best_score is not None and state.max_score is not None:
            best = self.t("ex_best", best=points(state.best_score), max=points(state.max_score))
            status += f" · {best}"
        if self.exercises.in_review(self.exercise):
            status += f" · {self.t('ex_in_review')}"
        header = self.t(
            "ex_header",
            title=spec.title.get(self.lang),
            points=self.t("ex_point" if spec.points == 1 else "ex_points", n=points(spec.points)),
            device=self.t(f"dev_{spec.device}"),
            status=status,
        )
        self.query_one("#title-bar", Static).update(Content(header))

    def _code_saved(self) -> None:
        if self.is_mounted:
            self.update_header()  # the first change makes it "in progress"

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running is not None
        if action in ("run_checks", "submit", "reset"):
            return None if self.running else True
        if action == "solution":
            return self.exercises.state(self.exercise.id).status == "accepted"
        if action == "external_editor":
            return not self.app.in_browser  # a web page cannot be suspended for $EDITOR
        if action == "my_code":
            return self.exercises.accepted_code(self.exercise) is not None
        return True

    def action_hint(self) -> None:
        self.pane.hints.reveal_next()

    def action_my_code(self) -> None:
        """Show the learner's accepted code (kept when it was accepted, read-only)."""
        text = self.exercises.accepted_code(self.exercise)
        if text is None:
            self.notify(self.t("ex_mine_missing"), severity="warning")
            return
        self.app.open_screen("solution", self.exercise, text, "ex_mine_title")

    def action_solution(self) -> None:
        """Show the reference solution, once the exercise is accepted."""
        if self.exercises.state(self.exercise.id).status != "accepted":
            self.notify(self.t("ex_solution_locked"), severity="warning")
            return
        if self.exercise.solution is None:
            self.notify(self.t("ex_solution_missing"), severity="warning")
            return
        text = self.exercise.solution.read_text(encoding="utf-8")
        self.app.open_screen("solution", self.exercise, text)

    def action_save(self) -> None:
        """Save now; in watch mode a save runs the public checks, as from any editor."""
        self.code.save_now()
        self.notify(self.t("ex_saved", path=str(self.code.path)), timeout=2)
        self.watcher.saved()

    def action_external_editor(self) -> None:
        self.external_editor.launch()

    def action_toggle_watch(self) -> None:
        self.watcher.toggle()

    def action_reset(self) -> None:
        self.code_reset.ask()

    def action_run_checks(self) -> None:
        self.grading_run.request("public")

    def action_submit(self) -> None:
        self.grading_run.request("hidden")

    def action_cancel(self) -> None:
        """Cancel the running job (its whole process tree is killed)."""
        self.watcher.drop_rerun()
        self.grading_run.cancel()

    def action_back(self) -> None:
        """Esc: cancel a running job, else back to the exercise list."""
        if self.running:
            self.action_cancel()
            return
        self.code.save_now()
        self.app.pop_screen()

    # -- messages --------------------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def _edited(self, event: TextArea.Changed) -> None:
        self.code.edited(event.text_area.text)

    def on_hints_panel_revealed(self, message: HintsPanel.Revealed) -> None:
        """A hint was shown: counted in the open review, if any (it rates the review)."""
        self.exercises.hint_shown(self.exercise)

    def on_worker_ready(self, message: WorkerReady) -> None:
        self.grading_run.worker_ready(message)

    def on_job_finished(self, message: JobFinished) -> None:
        self.grading_run.finished(message.result)
        self.watcher.job_ended()

    def on_job_cancelled(self, message: JobCancelled) -> None:
        self.grading_run.cancelled()
        self.watcher.job_ended()

    def on_job_failed(self, message: JobFailed) -> None:
        self.grading_run.failed(message.error)

    @on(Button.Pressed, "#run-checks")
    def _run_pressed(self) -> None:
        self.action_run_checks()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
