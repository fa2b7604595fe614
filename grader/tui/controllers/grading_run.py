"""Provides GradingRun: the exercise screen's grading, one job at a time, off the UI thread.

Run checks (public checks) and Submit (hidden checks) go through :class:`GradingService`, whose
``grade`` blocks: the job runs in the :class:`JobBar`'s thread worker, which reports progress and
then exactly one of :class:`JobFinished`, :class:`JobCancelled` or :class:`JobFailed`; those
messages bubble up to the screen, which hands them to :meth:`GradingRun.finished`,
:meth:`~GradingRun.cancelled` and :meth:`~GradingRun.failed`. Cancelling kills the job's whole
process tree. Every graded run is stored in the progress store; a policy violation or an error
moves the editor's cursor to the line it points at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.tui.grading_job import GradingService, Kind, WorkerReady
from grader.tui.widgets.check_results import first_failing_line

if TYPE_CHECKING:
    from grader.runner.result import ExerciseResult
    from grader.tui.controllers.code_file import CodeFile
    from grader.tui.screens.exercise import ExerciseScreen

__all__ = ["GradingRun"]


class GradingRun:
    """Starts grading jobs for the screen's exercise and shows what each one ends with.

    Args:
        screen: The exercise screen (its job bar, toolbar, pane and editor).
        grading: The app's handle on the grader.
        code: The learner's file (saved before each job).
    """

    def __init__(self, screen: ExerciseScreen, grading: GradingService, code: CodeFile) -> None:
        self.screen = screen
        self.grading = grading
        self.code = code

    @property
    def running(self) -> Kind | None:
        """The kind of job running, or None."""
        return self.screen.job_bar.running

    def start_worker(self) -> None:
        """Start the grading worker in the background; the screen hears when it is ready."""
        screen, grading = self.screen, self.grading

        def ready() -> None:  # on the service's thread: post_message is thread-safe
            screen.post_message(WorkerReady(cuda=bool(grading.cuda), error=grading.error))

        grading.start_in_background(ready)

    def worker_ready(self, message: WorkerReady) -> None:
        """The worker has started (or failed to): offer the device choice, start a waiting job."""
        screen = self.screen
        screen.toolbar.device_picker.set_cuda(self.grading.cuda)
        screen.job_bar.worker_ready()
        if message.error:
            screen.notify(screen.t("ex_failed", error=message.error), severity="error")

    def request(self, kind: Kind) -> None:
        """Save the file and grade it with the ``kind`` checks (refused while a job runs)."""
        screen = self.screen
        if self.running:
            screen.notify(screen.t("ex_busy"), severity="warning")
            return
        if kind == "public" and not screen.exercise.public_checks:
            screen.notify(screen.t("ex_no_public"), severity="warning")
            return
        self.code.save_now()
        if not self.grading.ready:
            self.start_worker()
        device = screen.toolbar.device_picker.chosen
        screen.job_bar.start(screen.exercise, self.code.path, kind, device)
        self._show_running(True)

    def cancel(self) -> None:
        """Cancel the running job (its whole process tree is killed)."""
        self.screen.job_bar.cancel()

    def finished(self, result: ExerciseResult) -> None:
        """Store the run, show its results, and point at the first line a failure names."""
        screen = self.screen
        was_accepted = self._accepted()
        screen.exercises.record(result, hints=screen.pane.hints.shown)
        self._show_running(False)
        screen.pane.results.show(result, screen.lang)
        screen.update_header()
        line = first_failing_line(result)
        if line is not None:
            screen.editor.go_to_line(line)
            screen.editor.focus()
            screen.notify(screen.t("res_cursor", line=line), severity="warning")
        else:
            screen.pane.results.scroll_visible(animate=False)
        if not was_accepted and self._accepted():
            screen.notify(screen.t("res_accepted_now"), timeout=6)

    def cancelled(self) -> None:
        self._show_running(False)

    def failed(self, error: str) -> None:
        """The grader itself failed (not the learner's code): nothing is stored."""
        self._show_running(False)
        self.screen.notify(self.screen.t("ex_failed", error=error), severity="error", timeout=8)

    def _accepted(self) -> bool:
        screen = self.screen
        return screen.exercises.state(screen.exercise.id).status == "accepted"

    def _show_running(self, running: bool) -> None:
        self.screen.toolbar.show_running(running)
        self.screen.refresh_bindings()
