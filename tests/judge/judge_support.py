"""Paths and helpers of the judge/executor tests (imported as a plain module).

``grade_owned`` grades a submission with the executor **owned**: the test-only switch
``grader.executor.serve._UNSANDBOXED_FOR_TESTS`` runs it without the RestrictedPython policy and
without any OS layer, so the submission has full Python power inside the executor. It is set in a
throwaway interpreter that then grades through the ordinary API; nothing else can set it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE = HERE / "data" / "course"
SUBMISSIONS = HERE / "submissions"

CANARY = re.compile(r"judge-(check|solution)-canary-[0-9a-f]{6}")
"""Strings that sit in the fixture course's checks and solutions: none may reach a result."""

_OWNED = """
import json, sys
import grader.executor.serve as serve
serve._UNSANDBOXED_FOR_TESTS = True
from grader.runner.api import grade_file
result = grade_file(sys.argv[1], sys.argv[2], course=sys.argv[3], kind=sys.argv[4])
print(json.dumps(result.to_dict("en")))
"""


def grade_owned(
    exercise: str, submission: Path, kind: str = "hidden", timeout: float = 120
) -> dict:
    """The JSON result of grading ``submission`` with the executor owned."""
    proc = subprocess.run(
        [sys.executable, "-c", _OWNED, exercise, str(submission), str(COURSE), kind],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def grade_cli(
    exercise: str, submission: Path, *extra: str, timeout: float = 120
) -> tuple[int, str]:
    """``grader grade`` as a user runs it (every layer on): exit status and stdout."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            exercise,
            str(submission),
            "--course",
            str(COURSE),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stdout


def grade_json(exercise: str, submission: Path, *extra: str, timeout: float = 120) -> dict:
    code, out = grade_cli(exercise, submission, "--format", "json", *extra, timeout=timeout)
    assert code in (0, 1, 3), out[-3000:]
    return json.loads(out)


def failed(result: dict) -> set[str]:
    return {t["name"] for t in result["tests"] if t["score"] < t["max_score"]}
