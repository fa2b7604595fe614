"""A sandbox layer that fails in a hardened child reaches the log through its parent: the child
writes nothing outside its sandbox, harden() hands the error back, the parent logs it."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sandbox_child import spec_for

from grader.cli import cli
from grader.logs import LOG_FILENAME, configure
from grader.sandbox.os import diagnose, layers, seccomp
from grader.sandbox.os.probe import run_forked


def _refuse(cuda: bool = False) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


@pytest.mark.sandbox_layer("seccomp")
def test_harden_hands_back_each_failed_layer_with_its_errno(monkeypatch, scratch):
    """A layer the probe found but that fails in this child is left out of the active layers and
    named in ``failures`` with the exception and its errno."""
    monkeypatch.setattr(seccomp, "install", _refuse)

    def body() -> dict:
        failures: dict[str, str] = {}
        active = layers.harden(spec_for(scratch), only=("seccomp",), failures=failures)
        return {"active": list(active), "failures": failures}

    out = run_forked(body)
    assert out.error is None, out.error
    assert out.value == {
        "active": [],
        "failures": {"seccomp": "PermissionError errno 1 (EPERM): Operation not permitted"},
    }


@pytest.mark.sandbox_layer("seccomp")
def test_doctor_logs_a_layer_that_failed_in_its_smoke_child(available, monkeypatch, tmp_path):
    """`grader doctor`: seccomp refused in the smoke test's child (the probe had found it) is
    printed under the smoke test and logged as a warning, layer and errno named, in grader.log."""
    monkeypatch.setattr(seccomp, "install", _refuse)
    monkeypatch.setattr(diagnose, "torch_facts", lambda: {"torch": "x", "cuda_available": False})
    monkeypatch.setenv("GRADER_DATA_DIR", str(tmp_path))
    try:
        result = CliRunner().invoke(cli, ["doctor"])
    finally:
        configure(None)  # this process logs nowhere again
    assert result.exit_code == 0, result.output
    why = "PermissionError errno 1 (EPERM): Operation not permitted"
    assert f"layer seccomp failed in that child although the probe found it: {why}" in result.output
    log = Path(tmp_path / LOG_FILENAME).read_text(encoding="utf-8")
    assert (
        "WARNING grader.sandbox.os.diagnose: sandbox layer seccomp failed in the smoke test "
        f"child (cpu): {why}"
    ) in log


def test_a_forked_child_logs_nothing_and_holds_no_log_descriptor(tmp_path):
    """After a fork (judge, executor, probe) the child writes nothing to grader.log and has no
    descriptor to it, so a sandboxed process never writes outside its sandbox; the parent logs on."""
    configure(tmp_path)
    try:
        log = logging.getLogger("grader.sandbox.os.layers")
        log.warning("parent before the fork")

        def child() -> list[str]:
            log.warning("child after the fork")
            targets = []
            for fd in os.listdir("/proc/self/fd"):
                try:
                    targets.append(os.readlink(f"/proc/self/fd/{fd}"))
                except OSError:  # the descriptor that listed the folder, closed since
                    pass
            return targets

        out = run_forked(child)
        log.warning("parent after the fork")
    finally:
        configure(None)
    assert out.error is None, out.error
    path = tmp_path / LOG_FILENAME
    assert not [target for target in out.value if target == str(path)]
    text = path.read_text(encoding="utf-8")
    assert "parent before the fork" in text and "parent after the fork" in text
    assert "child after the fork" not in text
