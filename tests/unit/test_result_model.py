"""The result model without grading anything: exit codes, and what "not a grade" means in
every view (JSON, JUnit, text). The CLI tests of exit code 3 skip on a machine with a GPU; these
do not."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml

from grader.errors import ExitCode
from grader.i18n import EMPTY, Text
from grader.runner.reports import render_junit, render_text
from grader.runner.result import CheckResult, ExerciseResult, Provenance, Reason

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "grader/runner/results.schema.json").read_text()
)
PROVENANCE = Provenance("0", "a" * 64, "b" * 64, "c" * 64, "2", "2", "3.11.0", "cpu", ("seccomp",))
SKIP = Text(zh="需要 CUDA GPU", en="needs a CUDA GPU")


def _result(*reasons: Reason) -> ExerciseResult:
    tests = tuple(
        CheckResult(
            name=f"test_{i}",
            max_score=1.0,
            score=1.0 if r is Reason.PASSED else 0.0,
            reason=r,
            message=SKIP if r is Reason.SKIPPED else EMPTY,
        )
        for i, r in enumerate(reasons)
    )
    return ExerciseResult("ex", "hidden", tests, 0.1, PROVENANCE)


@pytest.mark.parametrize(
    ("reasons", "code"),
    [
        ((Reason.PASSED, Reason.PASSED), ExitCode.OK),
        ((Reason.PASSED, Reason.FAILED), ExitCode.FAILED),
        ((Reason.POLICY,), ExitCode.FAILED),
        ((Reason.TIMEOUT, Reason.ERROR), ExitCode.FAILED),
        ((Reason.PASSED, Reason.SKIPPED), ExitCode.INCOMPLETE),
        ((Reason.FAILED, Reason.SKIPPED), ExitCode.INCOMPLETE),
        ((), ExitCode.FAILED),  # no checks at all is never full marks
    ],
)
def test_exit_code(reasons, code):
    assert _result(*reasons).exit_code == code


def test_a_partly_skipped_result_is_not_a_grade_in_any_view():
    """One check could not run: no score in JSON (null), graded=false with the reason; JUnit
    says graded=false and skips that case; the text says NOT GRADED."""
    result = _result(Reason.PASSED, Reason.SKIPPED)
    doc = result.to_dict("en")
    jsonschema.validate(doc, SCHEMA)
    assert (doc["graded"], doc["score"], doc["max_score"]) == (False, None, 2.0)
    assert doc["incomplete"] == {"messages": SKIP.to_dict(), "skipped_checks": ["test_1"]}
    assert [(t["status"], t["score"]) for t in doc["tests"]] == [("passed", 1.0), ("skipped", None)]
    (suite,) = list(JUnitXml.fromstring(render_junit(result, "zh")))
    props = {p.name: p.value for p in suite.properties()}
    assert props["graded"] == "false" and props["incomplete"] == SKIP.zh and "score" not in props
    assert [c.is_skipped for c in suite] == [False, True]
    assert "未评分" in render_text(result, "zh")


def test_a_graded_result_has_a_score_and_no_incomplete():
    doc = _result(Reason.PASSED, Reason.FAILED).to_dict("en")
    jsonschema.validate(doc, SCHEMA)
    assert (doc["graded"], doc["incomplete"], doc["score"]) == (True, None, 1.0)


def test_the_schema_refuses_a_zero_for_an_incomplete_result():
    """A consumer that wrote 0 into an incomplete result would produce an invalid document."""
    doc = _result(Reason.PASSED, Reason.SKIPPED).to_dict("en")
    doc["score"] = 0.0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_text_report_keeps_bracketed_check_names():
    """Parametrised check ids are shown as they are: rich must not read `[float32]` as markup
    (it dropped them, and the rows of one check looked like repeats)."""
    names = ["test_dtype[float32]", "test_dtype[float64]", "test_linear[no_bias]", "test_[bold]x"]
    tests = tuple(
        CheckResult(name=n, max_score=1.0, score=0.0, reason=Reason.FAILED, message=SKIP)
        for n in names
    )
    text = render_text(ExerciseResult("ex[1]", "hidden", tests, 0.1, PROVENANCE), "en", width=120)
    for name in names:
        assert text.count(name) == 2, (name, text)  # its table row, and its failure heading
    assert "ex[1] (hidden)" in text
