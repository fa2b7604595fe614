"""Fixtures for the OS-layer tests (test_layers_*.py): hardened children and what they attack.

Every test forks a child from this (torch-importing, op-free) pytest process, hardens it and then
really attempts something. A test names the layers it relies on with
``@pytest.mark.sandbox_layer(...)`` and is skipped, with the probe's reason, where one is missing.
The ``no_leftovers`` fixture makes this process a child subreaper for the test, so a process the
child managed to start (even one that escaped with ``setsid``) is found, killed and reported.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox.os import layers

_PR_SET_CHILD_SUBREAPER = 36


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sandbox_layer(*names): the sandbox layers a test relies on (skipped without)"
    )


@pytest.fixture(scope="session")
def available() -> dict[str, str | None]:
    """Probe the layers once; importing torch first gives children the worker's real footprint."""
    import torch  # noqa: F401 - children fork from a process that imported torch, as in the worker

    layers.prepare()
    return layers.available_layers()


def _is_layer_test(request: pytest.FixtureRequest) -> bool:
    """The autouse fixtures below serve only the OS-layer tests (test_layers_*.py) of this folder."""
    return request.node.path.name.startswith("test_layers_")


@pytest.fixture(autouse=True)
def _skip_without_layer(request: pytest.FixtureRequest) -> None:
    if not _is_layer_test(request):
        return
    available: dict[str, str | None] = request.getfixturevalue("available")
    for marker in request.node.iter_markers("sandbox_layer"):
        for name in marker.args:
            reason = available.get(name, "unknown layer")
            if reason is not None:
                pytest.skip(f"needs the {name} sandbox layer, unavailable here: {reason}")


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:  # zombies count too: something was started
            found.append(int(entry))
    return found


@pytest.fixture(autouse=True)
def no_leftovers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a layer test that leaves a process behind (orphans are reparented here meanwhile)."""
    if not _is_layer_test(request):
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    before = set(_children_of(os.getpid()))
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
        # A dead child's orphans are reparented before its parent can reap it: no wait needed.
        left = [pid for pid in _children_of(os.getpid()) if pid not in before]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        assert not left, f"processes left behind: {left}"
    finally:
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


@pytest.fixture
def scratch() -> Iterator[Path]:
    """The child's private scratch folder, where an unprivileged uid can reach and write it.

    Not under pytest's tmp_path: that folder is private to root (0700), as a grader's scratch
    root must not be.
    """
    root = Path(tempfile.mkdtemp(prefix="grader-sandbox-test-"))
    os.chmod(root, 0o755)
    folder = root / "scratch"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def hidden_file(tmp_path: Path) -> Path:
    """A world-readable file outside every allowed path: stands for a hidden check."""
    path = tmp_path / "hidden_check.py"
    path.write_text("SOLUTION = 42\n")
    os.chmod(path, 0o644)
    return path


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 (non-blocking, so ``accept`` shows whether anyone came)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


@pytest.fixture
def udp_listener() -> Iterator[socket.socket]:
    """A UDP socket on 127.0.0.1 (non-blocking, so ``recv`` shows whether anything arrived)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        yield receiver


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen[bytes]]:
    """A process the child must not be able to signal or trace."""
    proc = subprocess.Popen(["sleep", "60"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()
