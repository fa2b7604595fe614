"""The grading actor of the Ray backend: it runs on a node of the cluster, one per CPU slot.

The actor never forks and never imports torch: it owns one exec'd warm worker
(``python -m grader.runner.worker``, :class:`grader.runner.client.WarmWorker`) and sends it one
submission at a time, exactly as a thread of the local backend does. The sandboxed children are
forked by that worker, which is single-threaded; a Ray worker process is not (forking it is
unsafe). The worker probes the sandbox layers when it starts, and :meth:`GradingActor.ready`
reports them with the versions the driver compares.

This module imports Ray only inside the actor's methods: it is loaded on the nodes, by Ray, from
the grader installed there (never shipped with ``runtime_env``).
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any

from grader import __version__
from grader.batch.backends.base import Attempt, attempt, grader_fingerprint, package_version
from grader.batch.backends.course_pack import node_root, unpack_course
from grader.exercises.model import Exercise
from grader.runner.client import Cancelled, WarmWorker


def _cpu_seconds() -> float:
    """CPU time of this process (every thread, Ray's own included; not the worker process)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def node_facts() -> dict[str, Any]:
    """Who and what this actor runs on: the node, the host, and the versions that decide a
    grade (compared with the driver's)."""
    import ray

    return {
        "node_id": ray.get_runtime_context().get_node_id(),
        "ip": ray.util.get_node_ip_address(),
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "grader_version": __version__,
        "fingerprint": grader_fingerprint(),
        "torch": package_version("torch"),
        "python": platform.python_version(),
    }


class GradingActor:
    """One grading slot on a node (``num_cpus=1``); the driver sends it one job at a time.

    Args:
        course_sha256: The course archive's hash: its folder on this node.
        course: ``[ObjectRef]`` of the archive, in a list so that Ray does not fetch it for
            every actor: only the node's first actor does, when the folder is not there yet.
        timeout: ``--timeout``, the cap on each check's time limit.
        require_sandbox: ``--require-sandbox``: the worker's judge refuses a grade whose
            executor lacks a required layer (the driver refused this node before if its probe
            did).
    """

    def __init__(
        self,
        course_sha256: str,
        course: list[Any],
        timeout: float | None,
        require_sandbox: bool | str | None,
    ) -> None:
        self._sha256 = course_sha256
        self._course = course
        self._timeout = timeout
        self._require_sandbox = require_sandbox
        self._worker: WarmWorker | None = None
        self._root: Path | None = None
        self._jobs: Path | None = None
        self._exercises: dict[str, Exercise] = {}
        self._cancel = threading.Event()
        self._lock = threading.Lock()  # one grade at a time; stop() runs beside it
        self._cpu_at_start = _cpu_seconds()
        self._cpu_at_ready: float | None = None
        self._grades = 0
        self._fetched = False

    def _fetch(self) -> bytes:
        import ray

        self._fetched = True
        data: bytes = ray.get(self._course[0])
        return data

    def _get_worker(self) -> WarmWorker:
        if self._worker is None:
            self._worker = WarmWorker()
        return self._worker

    def _discard(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.kill()

    def ready(self) -> dict[str, Any]:
        """Unpack the course (once per node), start the warm worker, which probes the sandbox
        layers; the node's facts, with ``layers`` or the ``error`` that stopped the start."""
        facts = node_facts()
        try:
            self._root = unpack_course(self._sha256, self._fetch)
            jobs = node_root() / "jobs"
            jobs.mkdir(mode=0o700, exist_ok=True)
            self._jobs = Path(tempfile.mkdtemp(prefix=f"actor-{os.getpid()}-", dir=jobs))
            info = self._get_worker().start()
        except Exception as exc:
            self._discard()
            facts["error"] = f"{type(exc).__name__}: {exc}"
            return facts
        facts["layers"] = dict(info.get("layers") or {})
        facts["cuda"] = bool(info.get("cuda"))
        facts["fetched_course"] = self._fetched
        self._cpu_at_ready = _cpu_seconds()
        return facts

    def _exercise(self, exercise_id: str) -> Exercise:
        from grader.exercises.loader import find_exercise

        if exercise_id not in self._exercises:
            assert self._root is not None
            self._exercises[exercise_id] = find_exercise(
                exercise_id, self._root / "exercises", self._root / "solutions"
            )
        return self._exercises[exercise_id]

    def grade(self, exercise_id: str, filename: str, data: bytes) -> Attempt:
        """Grade one submission (its bytes, under the learner's file name) on the warm worker."""
        with self._lock:
            if self._cancel.is_set():
                return Attempt()
            if self._root is None or self._jobs is None:
                return Attempt(fault="the grading actor was not ready")
            folder = Path(tempfile.mkdtemp(prefix="job-", dir=self._jobs))
            try:
                path = folder / (os.path.basename(filename) or "submission.py")
                path.write_bytes(data)
                try:
                    outcome = attempt(
                        self._exercise(exercise_id),
                        path,
                        self._get_worker(),
                        timeout=self._timeout,
                        cancel=self._cancel,
                        require_sandbox=self._require_sandbox,
                    )
                except Cancelled:
                    self._discard()
                    return Attempt()
                if outcome.fault is not None:
                    self._discard()  # the next grade starts a fresh worker
                self._grades += 1
                return outcome
            except Exception as exc:  # a fault of ours, never the learner's
                self._discard()
                return Attempt(fault=f"{type(exc).__name__}: {exc}")
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    def stop(self) -> None:
        """Cancel the grade in flight (its worker's process group is killed) and any later one."""
        self._cancel.set()

    def stats(self) -> dict[str, float]:
        """CPU seconds this actor process spent until it was ready and since, and its grades."""
        now = _cpu_seconds()
        ready = self._cpu_at_ready if self._cpu_at_ready is not None else now
        return {
            "start_cpu_s": ready - self._cpu_at_start,
            "cpu_s": now - ready,
            "grades": float(self._grades),
        }

    def close(self) -> None:
        """Stop the warm worker cleanly and remove this actor's job folder."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
        if self._jobs is not None:
            shutil.rmtree(self._jobs, ignore_errors=True)
