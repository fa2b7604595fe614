"""The local backend: grading threads in this process, each owning one warm worker process.

Each thread sends a submission to its own ``python -m grader.runner.worker`` (torch imported
once), which forks a sandboxed child per check. A thread whose worker failed discards it; its
next attempt starts a fresh one.
"""

from __future__ import annotations

import queue
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from grader.batch.backends.base import Attempt, Busy, Costs, Job, NodeFacts, Outcome, attempt
from grader.batch.workers import WorkerFactory, WorkerPool, default_worker
from grader.exercises.model import Exercise


def preflight_sandbox(require_sandbox: bool | str | None) -> None:
    """Refuse a batch (SandboxError) before it writes anything when the sandbox this machine
    offers does not meet ``require_sandbox``; each grade checks its own worker again."""
    from grader.runner.api import check_sandbox
    from grader.sandbox.os.layers import available_layers

    check_sandbox({"layers": available_layers()}, require_sandbox)


class LocalBackend:
    """``--backend local``: ``workers`` threads, one warm worker each."""

    name = "local"

    def __init__(
        self,
        loaded: dict[str, Exercise],
        *,
        workers: int,
        timeout: float | None,
        require_sandbox: bool | str | None,
        worker_factory: WorkerFactory | None = None,
    ) -> None:
        self._loaded = loaded
        self._workers = max(1, workers)
        self._timeout = timeout
        self._require_sandbox = require_sandbox
        self._pool = WorkerPool(worker_factory or default_worker)
        self._executor: ThreadPoolExecutor | None = None
        self._done: queue.Queue[Outcome] = queue.Queue()
        self._in_flight = 0
        self._stop = threading.Event()
        self._host = socket.gethostname()
        self._facts = NodeFacts(label=self._host, hostname=self._host)
        self._threads: set[str] = set()
        self._lock = threading.Lock()

    def open(self) -> None:
        if self._require_sandbox:
            preflight_sandbox(self._require_sandbox)  # before anything is written to OUT
        self._executor = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="grade")

    def free_slots(self) -> int:
        return self._workers - self._in_flight

    def submit(self, job: Job) -> None:
        assert self._executor is not None, "open() the backend first"
        self._in_flight += 1
        self._executor.submit(self._run, job)

    def _run(self, job: Job) -> None:
        from grader.runner.client import Cancelled

        result = Attempt()
        try:
            if not self._stop.is_set():
                worker = self._pool.get()
                try:
                    assert job.submission.path is not None
                    result = attempt(
                        self._loaded[job.submission.exercise],
                        job.submission.path,
                        worker,
                        timeout=self._timeout,
                        cancel=self._stop,
                        require_sandbox=self._require_sandbox,
                    )
                except Cancelled:
                    self._pool.discard()
                else:
                    if result.fault is not None:
                        self._pool.discard()
                    elif result.result is not None:
                        self._note(worker)
        except BaseException as exc:  # never lose an attempt: a fault of ours is a fault
            result = Attempt(fault=f"{type(exc).__name__}: {exc}")
            self._pool.discard()
        self._done.put(Outcome(job, result, self._host))

    def _note(self, worker: object) -> None:
        """Remember the layers this machine's workers apply, and how many threads graded."""
        info: dict[str, Any] = getattr(worker, "info", None) or {}
        with self._lock:
            self._threads.add(threading.current_thread().name)
            self._facts.slots = len(self._threads)
            if not self._facts.sandbox_layers and info.get("layers"):
                from grader.runner.api import active_layers

                self._facts.sandbox_layers = active_layers(info)

    def collect(self, timeout: float) -> list[Outcome]:
        done: list[Outcome] = []
        try:
            done.append(self._done.get(timeout=timeout))
            while True:
                done.append(self._done.get_nowait())
        except queue.Empty:
            pass
        self._in_flight -= len(done)
        return done

    def busy(self) -> Busy | None:
        return None

    def nodes(self) -> dict[str, NodeFacts]:
        with self._lock:
            return {self._host: self._facts} if self._facts.slots else {}

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> Costs:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._pool.close()
        return Costs()
