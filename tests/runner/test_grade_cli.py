"""The `grader grade` / `grader check` commands as a user runs them: a subprocess, exit codes, formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from junitparser import JUnitXml
from runner_support import COURSE, SUBMISSIONS, validate_result_json

GRADER = shutil.which("grader") or f"{sys.executable} -m grader"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [*GRADER.split(), *args, "--course", str(COURSE)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_full_marks_exit_0_and_one_json_object():
    """--format json prints exactly one JSON object on stdout; full marks exit 0."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate_result_json(doc)
    assert doc["score"] == doc["max_score"] == 4


def test_wrong_answer_exit_1_with_junit_that_parses():
    """A graded, not-full result exits 1; JUnit XML parses with a real JUnit parser."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--format", "junit")
    assert proc.returncode == 1, proc.stderr
    xml = JUnitXml.fromstring(proc.stdout)
    suites = list(xml) if hasattr(xml, "__iter__") else [xml]
    cases = [case for suite in suites for case in suite]
    assert len(cases) == 4
    failed = [c.name for c in cases if not c.is_passed and not c.is_skipped]
    assert failed == ["test_value", "test_sizes[1]", "test_sizes[5]"]


def test_text_report_in_chinese():
    """The text report speaks the learner's language."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--lang", "zh")
    assert proc.returncode == 1
    assert "总分: 1/4" in proc.stdout
    assert "期望" in proc.stdout


def test_missing_file_is_usage_error():
    """A missing submission file exits 2 before grading, with a message on stderr."""
    proc = run("grade", "add-one", "no_such_file.py")
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
    assert proc.stdout == ""


def test_unknown_exercise_is_usage_error_with_suggestion():
    """An unknown exercise exits 2 and suggests the nearest id."""
    proc = run("grade", "add-onee", str(SUBMISSIONS / "correct.py"))
    assert proc.returncode == 2
    assert "Did you mean 'add-one'" in proc.stderr


def test_cuda_exercise_without_gpu_exits_3():
    """A CUDA exercise without a GPU is incomplete: exit 3 with every check skipped."""
    proc = run("grade", "needs-gpu", str(SUBMISSIONS / "correct.py"), "--format", "json")
    doc = json.loads(proc.stdout)
    if doc["provenance"]["device"] == "cuda" and doc["tests"][0]["reason"] != "skipped":
        pytest.skip("this machine has a GPU")
    assert proc.returncode == 3
    assert {t["reason"] for t in doc["tests"]} == {"skipped"}


def test_device_cuda_without_gpu_is_usage_error():
    """--device cuda on a machine without CUDA exits 2."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--device", "cuda")
    if proc.returncode in (0, 1):
        pytest.skip("this machine has a GPU")
    assert proc.returncode == 2
    assert "no CUDA device" in proc.stderr


def test_check_runs_public_checks():
    """`grader check` runs the public checks only."""
    proc = run("check", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--format", "json")
    assert proc.returncode == 0
    assert [t["name"] for t in json.loads(proc.stdout)["tests"]] == ["test_returns_tensor"]


def test_require_sandbox_fails_closed_when_a_layer_is_missing():
    """--require-sandbox grades only when every layer is active, else exits 4."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--require-sandbox")
    if proc.returncode == 0:
        return  # every layer is available on this machine
    assert proc.returncode == 4
    assert "sandbox layers unavailable" in proc.stderr
