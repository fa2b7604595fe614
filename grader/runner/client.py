"""Talking to a warm worker: a separate exec'd process (for apps and batches) or this process (CLI).

A worker grades one request at a time. Cancelling kills the worker's whole process group (the
grading process and its check children die with it); the next request starts a fresh worker.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from grader.errors import InternalError
from grader.runner.request import GradeRequest

Progress = Callable[[int, int, str], None]
log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The job was cancelled; nothing was graded."""


class Worker(Protocol):
    """What grading needs of a worker: :class:`WarmWorker`, :class:`InProcessWorker`, or a test
    double with the same methods."""

    def start(self) -> dict[str, Any]: ...

    def grade(
        self,
        req: GradeRequest,
        on_progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]: ...

    def close(self) -> None: ...


def _scrubbed_env() -> dict[str, str]:
    keep = (
        "PATH",
        "LANG",
        "LC_ALL",
        "HOME",
        "TMPDIR",
        "VIRTUAL_ENV",
        "PYTHONPATH",
        "CUDA_VISIBLE_DEVICES",
        "GRADER_COURSE",
        "GRADER_DATA_DIR",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTORCH_NVML_BASED_CUDA_CHECK"] = "1"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


class WarmWorker:
    """A ``python -m grader.runner.worker`` process that keeps torch imported between jobs."""

    def __init__(self, start_timeout: float = 120.0) -> None:
        self._start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._buf = b""
        self.info: dict[str, Any] = {}
        self._lock = threading.Lock()

    def start(self) -> dict[str, Any]:
        """Start the process if needed and wait for it to be ready; return its facts."""
        if self._proc is not None and self._proc.poll() is None:
            return self.info
        self._buf = b""
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "grader.runner.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_scrubbed_env(),
            start_new_session=True,
            close_fds=True,
        )
        msg = self._read_message(time.monotonic() + self._start_timeout, None)
        if msg is None or msg.get("event") != "ready":
            log.error("the grading worker did not start: %r", msg or "no message in time")
            self.kill()
            raise InternalError("the grading worker did not start")
        self.info = msg
        log.debug("grading worker %d ready (CUDA: %s)", self._proc.pid, msg.get("cuda"))
        for name, reason in (msg.get("layers") or {}).items():
            log.debug("sandbox layer %s: %s", name, "active" if reason is None else reason)
        return self.info

    def _read_message(
        self, deadline: float, cancel: threading.Event | None
    ) -> dict[str, Any] | None:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            if cancel is not None and cancel.is_set():
                self.kill()
                raise Cancelled()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(remaining, 0.1))
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def grade(
        self,
        req: GradeRequest,
        on_progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        """Send one request; return the worker's final message (``result`` or ``error``)."""
        with self._lock:
            self.start()
            assert self._proc is not None and self._proc.stdin is not None
            try:
                self._proc.stdin.write((json.dumps(req.to_dict()) + "\n").encode())
                self._proc.stdin.flush()
            except BrokenPipeError:
                self.kill()
                return {"event": "error", "message": "the grading worker died"}
            started = time.monotonic()
            deadline = started + req.whole_limit() + 10
            while True:
                msg = self._read_message(deadline, cancel)
                if msg is None:
                    self.kill()
                    return {"event": "error", "message": "the grading worker stopped answering"}
                if msg.get("event") == "progress":
                    if msg.get("done") == 0:
                        deadline = started + req.whole_limit(int(msg["total"])) + 10
                        continue
                    if on_progress is not None:
                        on_progress(msg["done"], msg["total"], msg.get("name", ""))
                    continue
                return msg

    def kill(self) -> None:
        """Kill the worker and everything it started."""
        proc = self._proc
        self._proc = None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        """Stop the worker cleanly (it exits when its input closes)."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            pass
        self.kill()

    def __enter__(self) -> WarmWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcessWorker:
    """Grades in this process (which becomes the warm parent): the fastest cold path, for the CLI.

    Only for a fresh single-threaded process that has run no torch op (not for an app).
    """

    def __init__(self, preload_dynamo: bool = True) -> None:
        self._preload_dynamo = preload_dynamo
        self.info: dict[str, Any] = {}
        self._template: Any = None

    def start(self) -> dict[str, Any]:
        """Import torch and the grader, then fork the executor template for the next grade,
        before the caller reads any check file (the template never holds one in memory)."""
        from grader.executor.template import fork_template
        from grader.runner.warm import prepare

        self.info = {"event": "ready", **prepare(self._preload_dynamo)}
        if self._template is None:
            self._template = fork_template()
        return self.info

    def grade(
        self,
        req: GradeRequest,
        on_progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        from grader.runner.engine import run_job

        self.start()
        final: dict[str, Any] = {"event": "error", "message": "no result"}

        def emit(msg: dict[str, Any]) -> None:
            nonlocal final
            if msg.get("event") == "progress":
                if on_progress is not None and msg.get("done"):
                    on_progress(msg["done"], msg["total"], msg.get("name", ""))
            else:
                final = msg

        sys.stdout.flush()
        sys.stderr.flush()
        template, self._template = self._template, None
        run_job(req, emit, template)
        return final

    def close(self) -> None:
        from grader.runner.engine import reap_pending

        template, self._template = self._template, None
        if template is not None:
            template.wait()
        reap_pending(wait=5.0)  # let the judge and the template finish their clean-up
