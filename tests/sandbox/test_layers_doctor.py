"""`grader doctor`: every layer with its state and reason, versions, CUDA, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from grader.cli.doctor import doctor
from grader.sandbox.os import diagnose
from grader.sandbox.os.layers import (
    ESSENTIAL_LAYERS,
    EXTRA_LAYERS,
    KERNEL_NEEDS,
    LAYERS,
    required_layers,
)


@pytest.fixture(scope="module")
def report(available) -> dict:
    """One full `grader doctor --format json` run (probes, torch facts, sandboxed smoke test)."""
    result = CliRunner().invoke(doctor, ["--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_report_lists_every_layer_and_the_runtime(report, available):
    """--format json names each layer, its state and reason, Python, torch and CUDA facts."""
    assert [layer["name"] for layer in report["layers"]] == list(available)
    for layer in report["layers"]:
        assert layer["active"] == (available[layer["name"]] is None)
        assert layer["reason"] == available[layer["name"]]
    assert report["python"]["version"].count(".") == 2
    assert "torch" in report["torch"]
    if not report["cuda"]["available"]:
        assert report["cuda"]["sandbox_verified"] is False
        assert any("unverified" in note["en"] for note in report["notes"])


def test_smoke_test_imports_torch_in_a_hardened_child(report, available):
    """The smoke test hardens a child, then imports torch and runs forward/backward in it."""
    smoke = report["smoke"]["cpu"]
    assert smoke["ok"] is True, smoke
    assert smoke["layers"] == [name for name, reason in available.items() if reason is None]
    assert smoke["failures"] == {}


@pytest.mark.gpu
def test_cuda_smoke_test_runs_torch_on_the_gpu_in_a_hardened_child(report, available):
    """With a GPU, the CUDA smoke test passes in a hardened child (device nodes and driver files
    granted, no RLIMIT_AS) with the same layers as the CPU one, and the CUDA paths count as
    verified."""
    assert report["cuda"]["available"] is True
    smoke = report["smoke"]["cuda"]
    assert smoke["ok"] is True, smoke
    assert smoke["layers"] == [name for name, reason in available.items() if reason is None]
    assert smoke["failures"] == {}
    assert report["cuda"]["sandbox_verified"] is True


@pytest.mark.parametrize("flag", ["--require-sandbox", "--require-sandbox=all"])
def test_require_sandbox_exit_status_follows_the_layers(available, monkeypatch, flag):
    """--require-sandbox exits 4 exactly when an essential layer is unavailable (=all: any
    layer), and names it; else 0."""
    monkeypatch.setattr(diagnose, "torch_facts", lambda: {"torch": "x", "cuda_available": False})
    result = CliRunner().invoke(doctor, [flag, "--no-smoke"])
    missing = [name for name, reason in available.items() if reason is not None]
    counted = missing if flag.endswith("all") else [m for m in missing if m in ESSENTIAL_LAYERS]
    assert result.exit_code == (4 if counted else 0), result.output
    lines = result.output.splitlines()
    for name in missing:
        wanted = f"unavailable: {available[name]}"
        assert any(line.split()[:1] == [name] and wanted in line for line in lines), name


def test_layers_are_essential_or_extra_each_with_its_reason_and_needs():
    """Every layer is either essential or extra (never both), with why and what it needs."""
    assert set(ESSENTIAL_LAYERS) | set(EXTRA_LAYERS) == set(LAYERS)
    assert not set(ESSENTIAL_LAYERS) & set(EXTRA_LAYERS)
    assert set(KERNEL_NEEDS) == set(LAYERS)
    assert set(required_layers("essential")) == set(ESSENTIAL_LAYERS)
    assert required_layers("all") == LAYERS
    # A runner whose kernel is older than Landlock ABI 6 (Linux 6.12) still meets the default.
    assert "landlock-scope" not in required_layers("essential")
    # The CLI's help names them without importing the sandbox.
    from grader.cli.options import ESSENTIAL_LAYER_NAMES

    assert set(ESSENTIAL_LAYER_NAMES) == set(ESSENTIAL_LAYERS)


def test_doctor_fails_when_torch_cannot_be_imported(tmp_path):
    """`grader doctor --require-sandbox` with a torch that raises on import exits 4 and says why
    (the sandbox is useless if torch cannot run in it)."""
    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text('raise ImportError("this torch is broken on purpose")\n')
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    cmd = [sys.executable, "-m", "grader", "doctor", "--require-sandbox"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "torch cannot be imported: ImportError: this torch is broken on purpose" in proc.stdout
    doc = subprocess.run(
        [*cmd[:-1], "--format", "json"], capture_output=True, text=True, env=env, timeout=300
    )
    report = json.loads(doc.stdout)
    assert report["essential_complete"] is False and report["complete"] is False
    assert any("broken on purpose" in p for p in report["problems"])


def _as_nobody_cmd() -> list[str] | None:
    """A command prefix that runs a program as uid/gid 65534, when this machine has one."""
    import shutil

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_doctor_as_an_unprivileged_user():
    """`grader doctor --require-sandbox` run by an ordinary user (uid 65534): no layer needs
    root, so the essential ones are all there on a kernel that has them, and uid-drop has nothing
    to do. Run as a real process where the interpreter is readable by that user; otherwise the
    same report is made in a child that became uid 65534 after the imports."""
    prefix = _as_nobody_cmd()
    if prefix is None and os.geteuid() != 0:
        report = json.loads(CliRunner().invoke(doctor, ["--format", "json", "--no-smoke"]).output)
    elif prefix is not None and subprocess.run([*prefix, sys.executable, "-c", ""]).returncode == 0:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "grader", "doctor", "--format", "json", "--no-smoke"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd="/",
        )
        report = json.loads(proc.stdout)
    else:  # the runtime lives where uid 65534 cannot read it (e.g. /root/.pyenv)
        from grader.sandbox.os import _libc, probe

        def body() -> dict:
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            _libc.prctl(_libc.PR_SET_DUMPABLE, 1)
            return probe.probe_all()

        out = probe.run_forked(body, timeout=120)
        assert out.error is None, out.error
        report = {
            "platform": {"uid": 65534},
            "layers": [
                {
                    "name": n,
                    "active": why is None,
                    "reason": why,
                    "essential": n in ESSENTIAL_LAYERS,
                }
                for n, why in out.value.items()
            ],
        }
    layers = {x["name"]: x for x in report["layers"]}
    assert report["platform"]["uid"] != 0
    assert layers["uid-drop"]["active"], layers["uid-drop"]  # nothing to drop for a user
    # What an ordinary user gets is what root gets, minus nothing essential.
    as_root = diagnose.sandbox_layers.available_layers()
    for name in ESSENTIAL_LAYERS:
        if as_root.get(name) is None:
            assert layers[name]["active"], (name, layers[name]["reason"])
