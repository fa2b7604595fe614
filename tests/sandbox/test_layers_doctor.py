"""`grader doctor`: every layer with its state and reason, versions, CUDA, exit status."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from grader.cli.doctor import doctor
from grader.sandbox.os import diagnose


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


def test_require_sandbox_exit_status_follows_the_layers(available, monkeypatch):
    """--require-sandbox exits 4 exactly when some layer is unavailable, and names it; else 0."""
    monkeypatch.setattr(diagnose, "torch_facts", lambda: {"torch": "x", "cuda_available": False})
    result = CliRunner().invoke(doctor, ["--require-sandbox", "--no-smoke"])
    missing = [name for name, reason in available.items() if reason is not None]
    assert result.exit_code == (4 if missing else 0), result.output
    lines = result.output.splitlines()
    for name in missing:
        wanted = f"unavailable: {available[name]}"
        assert any(line.split()[:1] == [name] and wanted in line for line in lines), name
