"""Exit codes as the README's table gives them, run as a user runs `grader grade`: a learner's
mistake is a graded result (1), a fault of the grader is 4, never the other way round.

Exit 0 and 1 for ordinary answers, 2 for usage errors and 3 for an incomplete result (no GPU) are
covered in tests/runner/test_grade_cli.py; this file holds the cases the error hierarchy decides.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader.errors import ExitCode, GraderError, UsageError
from grader.logs import LOG_FILENAME
from grader.runner.client import Cancelled
from grader.sandbox.policy import PolicyViolation
from grader.study.session import SessionError

DATA = Path(__file__).resolve().parents[1] / "data"
COURSE = DATA / "course-mini"
SUBMISSIONS = DATA / "submissions" / "add-one"
GRADER = [sys.executable, "-m", "grader"]


def _grade(course: Path, submission: Path, data: Path) -> subprocess.CompletedProcess[str]:
    cmd = [*GRADER, "grade", "add-one", str(submission), "--course", str(course)]
    env = dict(os.environ, GRADER_DATA_DIR=str(data))
    return subprocess.run(
        [*cmd, "--format", "json"], capture_output=True, text=True, env=env, timeout=180
    )


def test_a_policy_violation_is_a_graded_result_exit_1(tmp_path: Path) -> None:
    """A forbidden import is the learner's mistake: a graded result (score 0, reason `policy`,
    the line named) with exit 1, not a grader error."""
    proc = _grade(COURSE, SUBMISSIONS / "policy_import.py", tmp_path)
    assert proc.returncode == ExitCode.FAILED == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["graded"] is True and doc["score"] == 0
    assert {t["reason"] for t in doc["tests"]} == {"policy"}
    assert doc["summary"]["en"].startswith("line 2: importing `os` is not allowed")
    assert "error:" not in proc.stderr


def test_a_fault_of_the_grader_is_exit_4_with_the_traceback_logged(tmp_path: Path) -> None:
    """A hidden check that kills the judge process is the grader's fault, not the learner's: no
    result on stdout, `error: grading failed` on stderr, exit 4, and the log keeps the traceback."""
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    (course / "exercises" / "add-one" / "hidden" / "test_kill_judge.py").write_text(
        "import os\nimport signal\n\n\ndef test_judge_dies(submission):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    proc = _grade(course, SUBMISSIONS / "correct.py", data)
    assert proc.returncode == ExitCode.GRADER_ERROR == 4, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: grading failed")
    log = (data / LOG_FILENAME).read_text(encoding="utf-8")
    assert "ERROR grader.cli: exit 4 (InternalError): grading failed" in log
    assert "Traceback (most recent call last):" in log and "InternalError" in log


def test_the_hierarchy_decides_the_exit_code() -> None:
    """SessionError is a usage error (2); PolicyViolation and Cancelled stay outside GraderError
    (a learner's mistake is a result; a cancel is no failure), as grader/errors.py explains."""
    assert issubclass(SessionError, UsageError) and SessionError("x").exit_code == ExitCode.USAGE
    assert SessionError("no questions match").message == "no questions match"
    assert not issubclass(PolicyViolation, GraderError)
    assert not issubclass(Cancelled, GraderError)
