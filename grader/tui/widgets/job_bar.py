"""Provides JobBar: runs one grading job at a time in a thread worker and shows its progress.

The job calls :meth:`GradingService.grade` off the UI thread and reports back with messages:
:class:`JobProgressed` (handled here: the progress bar and the status line), then exactly one of
:class:`JobFinished`, :class:`JobCancelled` or :class:`JobFailed`, which the bar handles (it is
idle again) and lets bubble up to the screen.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from grader.errors import GraderError
from grader.exercises.model import Exercise
from grader.tui.grading_job import (
    DeviceChoice,
    GradingService,
    JobCancelled,
    JobFailed,
    JobFinished,
    JobProgressed,
    Kind,
)
from grader.tui.strings import t

__all__ = ["JobBar"]


class JobBar(Horizontal):
    """The progress bar and status line under the editor.

    Args:
        grading: The app's grader.
        lang: "zh" or "en".
    """

    def __init__(self, grading: GradingService, lang: str, *, id: str | None = "job-bar") -> None:
        super().__init__(id=id)
        self.grading = grading
        self.lang = lang
        self.running: Kind | None = None
        """The kind of job running, or None when idle."""
        self._cancel: threading.Event | None = None
        self._status: tuple[str, dict[str, Any]] = ("ex_idle", {})

    def compose(self) -> ComposeResult:
        bar = ProgressBar(id="job-progress", show_eta=False)
        bar.display = False
        yield bar
        yield Static("", id="job-status")

    def on_mount(self) -> None:
        self.set_status(*self._status)

    def set_status(self, key: str, values: dict[str, Any] | None = None) -> None:
        """Show the strings-table text ``key`` (kept, so a language switch re-renders it)."""
        self._status = (key, values or {})
        values = self._status[1]
        if key == "ex_idle":
            values = {"run": self.app.shown_key("run_checks", "f5")}  # type: ignore[attr-defined]
        self.query_one("#job-status", Static).update(Content(t(key, self.lang, **values)))

    @property
    def status_key(self) -> str:
        return self._status[0]

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self.set_status(*self._status)

    def _what(self) -> str:
        return t("run_checks" if self.running == "public" else "submit_code", self.lang)

    def start(self, exercise: Exercise, path: Path, kind: Kind, device: DeviceChoice) -> None:
        """Grade ``path`` (the caller checked that no job is running)."""
        self.running = kind
        self._cancel = threading.Event()
        bar = self.query_one("#job-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        key = "ex_running_start" if self.grading.ready else "ex_starting"
        self.set_status(key, {"what": self._what()})
        self._grade(exercise, path, kind, device, self._cancel)

    def worker_ready(self) -> None:
        """The grading worker has started: a job waiting for it is running now."""
        if self.running and self.status_key == "ex_starting":
            self.set_status("ex_running_start", {"what": self._what()})

    def cancel(self) -> None:
        """Cancel the running job: its whole process tree is killed."""
        if self.running and self._cancel is not None:
            self._cancel.set()
            self.set_status("ex_cancelling")

    @work(thread=True, exclusive=True, group="grading", exit_on_error=False)
    def _grade(
        self,
        exercise: Exercise,
        path: Path,
        kind: Kind,
        device: DeviceChoice,
        cancel: threading.Event,
    ) -> None:
        """The job, in a thread; everything it reports goes back as messages."""
        from grader.runner.client import Cancelled

        def progress(done: int, total: int, name: str) -> None:
            self.post_message(JobProgressed(done, total, name))

        try:
            result = self.grading.grade(
                exercise, path, kind=kind, device=device, on_progress=progress, cancel=cancel
            )
        except Cancelled:
            self.post_message(JobCancelled())
        except GraderError as exc:
            self.post_message(JobFailed(exc.message))
        except Exception as exc:  # a grader fault is reported, never a crash
            self.post_message(JobFailed(f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(JobFinished(result))

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def on_job_progressed(self, message: JobProgressed) -> None:
        message.stop()
        if not self.running:
            return
        self.query_one("#job-progress", ProgressBar).update(
            total=message.total, progress=message.done
        )
        values = {"what": self._what(), "done": message.done, "total": message.total}
        self.set_status("ex_running", {**values, "name": message.name})

    def _ended(self) -> None:
        self.running = None
        self._cancel = None
        self.query_one("#job-progress", ProgressBar).display = False

    def on_job_finished(self, message: JobFinished) -> None:
        self._ended()
        self.set_status("ex_idle")

    def on_job_cancelled(self, message: JobCancelled) -> None:
        self._ended()
        self.set_status("ex_cancelled")

    def on_job_failed(self, message: JobFailed) -> None:
        self._ended()
        self.set_status("ex_failed", {"error": message.error})
