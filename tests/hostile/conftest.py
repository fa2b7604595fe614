"""Fixtures of the hostile suite: one warm worker for the session, the fixture course, listeners.

The worker is started with a private temporary folder (so a file left behind is seen, whatever
runs beside this suite) and with a canary in its environment (so a leaked environment is seen).
This process is made a child subreaper while a test runs: a process that escaped the worker's
process group is reparented here and found.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_support import COURSE, ENV_CANARY_PATH, reap_orphans

from grader.course import Course, resolve_course
from grader.runner.client import WarmWorker

#: The submissions and the fixture course are test data, never collected (a hostile conftest.py
#: lives under data/).
collect_ignore = ["submissions", "data"]

_PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Hostile:
    """What every hostile test shares."""

    worker: WarmWorker
    course: Course
    tmp: Path
    """The worker's TMPDIR: every scratch folder is made here and must be gone after grading."""
    layers: dict[str, str | None]
    """The worker's probe (``grader.sandbox.os.layers.available_layers()`` run in the worker)."""

    @property
    def worker_pid(self) -> int:
        proc = self.worker._proc  # the tests watch the worker's process
        assert proc is not None, "the warm worker is not running"
        return proc.pid


@pytest.fixture(scope="session")
def hostile() -> Iterator[Hostile]:
    tmp = Path(tempfile.mkdtemp(prefix="grader-hostile-")).resolve()
    os.chmod(tmp, 0o711)  # an unprivileged check child must be able to reach its scratch folder
    worker = WarmWorker()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TMPDIR", str(tmp))
            mp.setenv("PATH", os.environ.get("PATH", "/usr/bin:/bin") + ":" + ENV_CANARY_PATH)
            info = worker.start()
        yield Hostile(worker, resolve_course(COURSE), tmp, dict(info.get("layers") or {}))
    finally:
        worker.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def subreaper(hostile: Hostile) -> Iterator[None]:
    """Make this process a child subreaper for the test (orphans are reparented here)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
    finally:
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        reap_orphans(hostile.worker_pid)


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 (non-blocking: ``accept`` shows whether anyone came)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


@pytest.fixture
def udp_listener() -> Iterator[socket.socket]:
    """A UDP socket on 127.0.0.1 (non-blocking: ``recv`` shows whether anything arrived)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        yield receiver
