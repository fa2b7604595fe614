"""Provides WatchMode: the exercise screen's watch on the learner's file, and watch mode (F8).

The file is looked at every :data:`WATCH_INTERVAL_S`; a change made outside the app (another
editor saved it) is loaded into the built-in editor. With watch mode off the learner gets a
notice; with it on, the public checks run instead, as they do after Ctrl+S here. A save while a
job runs runs them again once that job has ended (cancelling the job drops that rerun; a grader
failure keeps it for the next job's end rather than retry at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.tui.controllers.code_file import CodeFile
    from grader.tui.controllers.grading_run import GradingRun
    from grader.tui.screens.exercise import ExerciseScreen

__all__ = ["WATCH_INTERVAL_S", "WatchMode"]

WATCH_INTERVAL_S = 0.5
"""How often the learner's file is checked for changes made outside the app."""


class WatchMode:
    """Watches the learner's file and, in watch mode, grades every save with the public checks.

    Args:
        screen: The exercise screen (its timers, notices and toolbar badge).
        code: The learner's file.
        grading: Runs the public checks.
    """

    def __init__(self, screen: ExerciseScreen, code: CodeFile, grading: GradingRun) -> None:
        self.screen = screen
        self.code = code
        self.grading = grading
        self.on = False
        """Whether watch mode is on."""
        self._rerun = False
        """A save happened during a job: run the public checks again when it ends."""

    def start(self) -> None:
        """Start looking at the file (for as long as the screen lives)."""
        self.screen.set_interval(WATCH_INTERVAL_S, self.poll)

    def toggle(self) -> None:
        """Turn watch mode on or off, and say so."""
        self.on = not self.on
        screen = self.screen
        screen.notify(screen.t("ex_watch_on" if self.on else "ex_watch_off"))
        screen.toolbar.show_watching(self.on)

    def poll(self) -> None:
        """Reload the file when another program changed it; in watch mode, run the public checks."""
        text = self.code.changed_outside()
        if text is None:
            return
        self.code.show(text)
        if self.on:
            self._run_public_checks()
        else:
            self.screen.notify(self.screen.t("ex_reloaded"))

    def saved(self) -> None:
        """The learner saved here (Ctrl+S): in watch mode that runs the public checks."""
        if self.on:
            self._run_public_checks()

    def job_ended(self) -> None:
        """A job finished or was cancelled (not: failed): run the checks again if a save came
        meanwhile."""
        if self._rerun:
            self._rerun = False
            self._run_public_checks()

    def drop_rerun(self) -> None:
        """The learner cancelled the job: forget a rerun asked for meanwhile."""
        self._rerun = False

    def _run_public_checks(self) -> None:
        if self.grading.running:
            self._rerun = True
        else:
            self.grading.request("public")
