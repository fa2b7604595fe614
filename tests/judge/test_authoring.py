"""The check-authoring loop: running a hidden check file under plain pytest with the grader's
plugin gives the same verdicts as `grader grade`."""

from __future__ import annotations

import junitparser
import pytest
from judge_support import COURSE, SUBMISSIONS, failed, grade_json, run_authoring

pytestmark = pytest.mark.slow


def _authoring(exercise: str, submission, tmp_path) -> tuple[int, set[str], int]:
    report = tmp_path / "authoring.xml"
    proc = run_authoring(exercise, submission, tmp_path, "--junitxml", str(report))
    cases = [case for suite in junitparser.JUnitXml.fromfile(str(report)) for case in suite]
    bad = {case.name for case in cases if not case.is_passed}
    return proc.returncode, bad, len(cases)


@pytest.mark.parametrize(
    ("exercise", "submission"),
    [
        ("double", COURSE / "solutions" / "double.py"),
        ("double", SUBMISSIONS / "double_half.py"),
        ("square-grad", SUBMISSIONS / "zero_grad_output.py"),
        ("fit-line", SUBMISSIONS / "poison_targets.py"),
    ],
    ids=["solution", "half", "zero-grad-output", "poisoned-loader"],
)
def test_same_verdicts_as_grader_grade(exercise, submission, tmp_path):
    code, bad, count = _authoring(exercise, submission, tmp_path)
    graded = grade_json(exercise, submission)
    assert count == len(graded["tests"])
    assert bad == failed(graded)
    assert (code == 0) == (not bad)
