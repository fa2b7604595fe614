"""The grading workers of a batch: one warm worker process per grading thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from grader.runner.client import Worker as GradingWorker


class Worker(GradingWorker, Protocol):
    """What the batch needs of a grading worker (``grader.runner.client.WarmWorker``): what
    grading needs, and ``kill`` to discard a worker stuck on a grade."""

    def kill(self) -> None: ...


WorkerFactory = Callable[[], Worker]


def default_worker() -> Worker:
    """A warm worker process that keeps torch imported and forks a sandboxed child per check."""
    from grader.runner.client import WarmWorker

    return WarmWorker()


class WorkerPool:
    """One worker per grading thread, replaced after a grader error."""

    def __init__(self, factory: WorkerFactory) -> None:
        self._factory = factory
        self._local = threading.local()
        self._all: list[Worker] = []
        self._lock = threading.Lock()

    def get(self) -> Worker:
        worker: Worker | None = getattr(self._local, "worker", None)
        if worker is None:
            worker = self._factory()
            self._local.worker = worker
            with self._lock:
                self._all.append(worker)
        return worker

    def discard(self) -> None:
        """Kill this thread's worker; the next grade starts a fresh one."""
        worker: Worker | None = getattr(self._local, "worker", None)
        self._local.worker = None
        if worker is not None:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.close()
