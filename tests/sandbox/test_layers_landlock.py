"""The Landlock layers alone: files outside the allowed set, TCP, signals to other processes."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest
from sandbox_child import attempt, hardened, nothing_arrived, spec_for

from grader.sandbox.os import paths


@pytest.mark.sandbox_layer("landlock-fs")
def test_hidden_file_unreadable_by_every_reader(scratch, hidden_file):
    """open, pathlib, torch.from_file and numpy.fromfile (native readers) all fail."""
    target = str(hidden_file)

    def body():
        import numpy
        import torch

        return {
            "open": attempt(lambda: open(target).read()),
            "pathlib": attempt(Path(target).read_bytes),
            "torch.from_file": attempt(lambda: torch.from_file(target, size=4, dtype=torch.uint8)),
            "numpy.fromfile": attempt(lambda: numpy.fromfile(target, dtype=numpy.uint8)),
            "os.open": attempt(lambda: os.read(os.open(target, os.O_RDONLY), 4)),
        }

    out = hardened(body, spec_for(scratch), only=("landlock-fs",))
    assert out.value["active"] == ["landlock-fs"]
    for route, outcome in out.value["result"].items():
        assert outcome != "ok", route
        assert "Permission denied" in outcome or "PermissionError" in outcome, (route, outcome)


@pytest.mark.sandbox_layer("landlock-fs")
def test_grader_hidden_content_unreadable(scratch):
    """The bundled or checkout checks and solutions, wherever they are, stay unreadable."""
    names = ("_bundled", "exercises", "solutions")
    hidden = [p for p in paths.hidden_paths() if p.name in names and p.is_dir()]
    files = [str(f) for folder in hidden for f in sorted(folder.rglob("*.py"))[:3]]
    if not files:
        pytest.skip("no hidden checks or solutions exist in this installation")

    def body():
        return {name: attempt(lambda name=name: open(name).read()) for name in files}

    out = hardened(body, spec_for(scratch), only=("landlock-fs",))
    assert all(outcome.startswith("PermissionError") for outcome in out.value["result"].values())


@pytest.mark.sandbox_layer("landlock-fs")
def test_writes_only_inside_scratch(scratch, tmp_path):
    """Writing next to the scratch folder, over the grader or into /tmp fails; inside it works."""
    package = paths.grader_package_dir()

    def body():
        (scratch / "notes.txt").write_text("mine")
        return {
            "sibling": attempt(lambda: (tmp_path / "escape.txt").write_text("x")),
            "grader": attempt(lambda: (package / "__init__.py").write_text("x")),
            "tmp": attempt(lambda: Path("/tmp/grader-escape.txt").write_text("x")),
            "read back": (scratch / "notes.txt").read_text(),
        }

    out = hardened(body, spec_for(scratch), only=("landlock-fs",))
    result = out.value["result"]
    assert result["read back"] == "mine"
    for route in ("sibling", "grader", "tmp"):
        assert result[route].startswith("PermissionError"), (route, result[route])
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.sandbox_layer("landlock-fs")
def test_environments_in_proc_unreadable(scratch):
    """/proc/1/environ and the child's own environment and memory, also under the thread's name
    (/proc/self/task/<tid>/environ, .../mem), are unreadable; /proc/self/status and maps are fine."""

    def body():
        tid = os.getpid()
        return {
            "pid1": attempt(lambda: open("/proc/1/environ", "rb").read()),
            "own environ": attempt(lambda: open("/proc/self/environ", "rb").read()),
            "task environ": attempt(lambda: open(f"/proc/self/task/{tid}/environ", "rb").read()),
            "task mem": attempt(lambda: open(f"/proc/self/task/{tid}/mem", "rb").read(1)),
            "own mem": attempt(lambda: open("/proc/self/mem", "rb").read(1)),
            "status": open("/proc/self/status").read().startswith("Name:"),
            "maps": len(open("/proc/self/maps").read()) > 0,
        }

    out = hardened(body, spec_for(scratch), only=("landlock-fs",))
    result = out.value["result"]
    for route in ("pid1", "own environ", "task environ", "task mem", "own mem"):
        assert result[route].startswith("PermissionError"), (route, result[route])
    assert result["status"] and result["maps"]


@pytest.mark.sandbox_layer("landlock-net")
def test_tcp_connect_refused(scratch, tcp_listener):
    """A TCP connect to a listener the test opened on 127.0.0.1 is refused (EACCES)."""
    port = tcp_listener.getsockname()[1]

    def body():
        return attempt(lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close())

    out = hardened(body, spec_for(scratch), only=("landlock-net",))
    assert out.value["result"].startswith("PermissionError")
    assert nothing_arrived(tcp_listener)


@pytest.mark.sandbox_layer("landlock-scope")
def test_signals_to_other_processes_refused(scratch, bystander):
    """kill() of another process (and of the parent) is refused; signalling itself works."""

    def body():
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        return {
            "bystander": attempt(lambda: os.kill(bystander.pid, signal.SIGKILL)),
            "parent": attempt(lambda: os.kill(os.getppid(), 0)),
            "self": attempt(lambda: os.kill(os.getpid(), signal.SIGUSR1)),
        }

    out = hardened(body, spec_for(scratch), only=("landlock-scope",))
    result = out.value["result"]
    assert result["bystander"].startswith("PermissionError")
    assert result["parent"].startswith("PermissionError")
    assert result["self"] == "ok"
    assert bystander.poll() is None
