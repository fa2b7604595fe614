"""Provides :class:`GradingService`, the app's handle on the sandboxed grader, and the messages a
grading job posts back to the screen that started it.

The service owns one :class:`grader.runner.client.WarmWorker`: a separate, exec'd process that
keeps torch imported (never a fork of the app, and torch never enters the app's process). It is
started in the background when an exercise is opened, so a learner's first "Run checks" does not
pay for importing torch; its start-up facts say whether a CUDA device is present (detected by
the worker, through NVML, without initialising CUDA).

A job (:meth:`GradingService.grade`) blocks, so screens call it from a thread worker
(``@work(thread=True, exclusive=True)``) with a :class:`threading.Event` to cancel: cancelling kills
the worker's whole process group (the grading process and every check child), and the service
starts a fresh worker in the background for the next job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from textual.message import Message

if TYPE_CHECKING:
    from grader.exercises.model import Exercise
    from grader.runner.client import WarmWorker
    from grader.runner.result import ExerciseResult

__all__ = [
    "GradingService",
    "JobCancelled",
    "JobFailed",
    "JobFinished",
    "JobProgressed",
    "WorkerReady",
]

Kind = Literal["hidden", "public"]
DeviceChoice = Literal["auto", "cpu", "cuda"]


class GradingService:
    """The grader as the app uses it: one warm worker, started once, shared by every job.

    Every call that may start the worker's process runs on the service's own long-lived thread
    (a one-thread executor): the worker asks the kernel to kill it when the thread that started
    it ends (``PR_SET_PDEATHSIG`` is per thread), so it must not be started from a short-lived
    job thread. Jobs queue on that thread one at a time; the caller's thread waits, watching its
    cancel event.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grading-worker")
        self._worker: WarmWorker | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._starting = False
        self._listeners: list[Callable[[], None]] = []
        self.facts: dict[str, Any] = {}
        """The worker's start-up facts (``cuda``, sandbox ``layers``); empty until it is ready."""
        self.error: str | None = None
        """Why the worker could not start, when it could not."""

    @property
    def ready(self) -> bool:
        """True while a started worker waits for jobs."""
        return self._ready.is_set()

    @property
    def cuda(self) -> bool | None:
        """Whether the worker sees a CUDA device; None until it has started."""
        return bool(self.facts.get("cuda")) if self.facts else None

    def start_in_background(self, on_ready: Callable[[], None] | None = None) -> None:
        """Start the worker unless it is running or starting; ``on_ready`` is called (from the
        service's thread) once it is ready or has failed to start."""
        with self._lock:
            if on_ready is not None:
                self._listeners.append(on_ready)
            if self._ready.is_set():
                listeners, self._listeners = self._listeners, []
            elif self._starting:
                return
            else:
                self._starting = True
                listeners = []
                self._executor.submit(self._start)
        for listener in listeners:
            listener()

    def _start(self) -> None:
        """Start the worker (on the service's thread)."""
        from grader.errors import GraderError
        from grader.runner.client import WarmWorker

        try:
            if self._worker is None:
                self._worker = WarmWorker()
            facts = self._worker.start()
        except (GraderError, OSError) as exc:
            self.error = getattr(exc, "message", str(exc))
            ok = False
        else:
            self.facts = dict(facts)
            self.error = None
            ok = True
        with self._lock:
            self._starting = False
            if ok:
                self._ready.set()
            listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()

    def grade(
        self,
        exercise: Exercise,
        path: Path,
        *,
        kind: Kind,
        device: DeviceChoice,
        on_progress: Callable[[int, int, str], None],
        cancel: threading.Event,
    ) -> ExerciseResult:
        """Grade the learner's file ``path`` (blocks; call it from a thread worker).

        Raises:
            grader.runner.client.Cancelled: the job was cancelled (its processes are gone).
            grader.errors.GraderError: the grader failed (never a learner's 0).
        """
        from grader.runner.client import Cancelled

        self.start_in_background()
        future = self._executor.submit(
            self._grade, exercise, path, kind, device, on_progress, cancel
        )
        while True:
            try:
                return future.result(timeout=0.05)
            except FutureTimeout:
                if cancel.is_set() and future.cancel():
                    raise Cancelled() from None  # still queued behind the start: never ran

    def _grade(
        self,
        exercise: Exercise,
        path: Path,
        kind: Kind,
        device: DeviceChoice,
        on_progress: Callable[[int, int, str], None],
        cancel: threading.Event,
    ) -> ExerciseResult:
        """One job (on the service's thread)."""
        from grader.runner.api import grade_exercise
        from grader.runner.client import Cancelled, WarmWorker

        if cancel.is_set():
            raise Cancelled()
        if self._worker is None:
            self._worker = WarmWorker()
        try:
            return grade_exercise(
                exercise,
                path,
                kind=kind,
                device=device,
                worker=self._worker,
                on_progress=on_progress,
                cancel=cancel,
            )
        except Cancelled:
            self._ready.clear()  # the worker was killed with the job: start a fresh one
            with self._lock:
                self._starting = True
            self._executor.submit(self._start)
            raise

    def close(self) -> None:
        """Stop the worker (and with it any job still running) and the service's thread."""
        worker = self._worker
        if worker is not None:
            worker.kill()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._ready.clear()


@dataclass
class WorkerReady(Message):
    """The grading worker has started (or failed to: ``error``)."""

    cuda: bool
    error: str | None = None


@dataclass
class JobProgressed(Message):
    """A check of the running job has finished."""

    done: int
    total: int
    name: str


@dataclass
class JobFinished(Message):
    """The job graded the file."""

    result: ExerciseResult


@dataclass
class JobCancelled(Message):
    """The job was cancelled; nothing was graded and no process of it is left."""


@dataclass
class JobFailed(Message):
    """The grader itself failed (not the learner's code)."""

    error: str
