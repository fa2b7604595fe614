"""The check API's bilingual failures: the keyword form, a Text, and the deprecated positional
form, each landing in the right language, in a check function and through a real grading."""

from __future__ import annotations

import pickle
import shutil
import warnings

import pytest
from judge_support import COURSE

from grader.checks import CheckFailed, expect, fail
from grader.i18n import Text

MESSAGE = Text(zh="应为 42", en="should be 42")


def _raised(call, *args, **kwargs) -> Text:
    """The message a failing call raises, with every warning turned into an error (a deprecated
    form must not warn: a check runs while a learner is graded)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CheckFailed) as info:
            call(*args, **kwargs)
    assert str(info.value) == info.value.en == info.value.text.en
    assert info.value.zh == info.value.text.zh
    return info.value.text


def _check_failed(*args, **kwargs):
    raise CheckFailed(*args, **kwargs)


@pytest.mark.parametrize(
    ("call", "args", "kwargs"),
    [
        (fail, (), {"en": "should be 42", "zh": "应为 42"}),
        (fail, (MESSAGE,), {}),
        (fail, ("should be 42", "应为 42"), {}),  # deprecated
        (fail, ("should be 42",), {"zh": "应为 42"}),  # deprecated
        (expect, (False,), {"en": "should be 42", "zh": "应为 42"}),
        (expect, (False, MESSAGE), {}),
        (expect, (False, "should be 42", "应为 42"), {}),  # deprecated
        (_check_failed, (), {"en": "should be 42", "zh": "应为 42"}),
        (_check_failed, (MESSAGE,), {}),
        (_check_failed, ("should be 42", "应为 42"), {}),  # deprecated
    ],
    ids=[
        "fail-keywords",
        "fail-text",
        "fail-positional",
        "fail-positional-en",
        "expect-keywords",
        "expect-text",
        "expect-positional",
        "CheckFailed-keywords",
        "CheckFailed-text",
        "CheckFailed-positional",
    ],
)
def test_every_form_gives_the_same_message(call, args, kwargs) -> None:
    """Keywords, a Text, and the deprecated ``(en, zh)``: English first, as it always was."""
    assert _raised(call, *args, **kwargs) == MESSAGE


def test_expect_passes_silently_when_the_condition_holds() -> None:
    expect(True, en="should be 42", zh="应为 42")
    expect(True, MESSAGE)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {"en": "only English"}),
        (("en", "zh", "extra"), {}),
        ((MESSAGE,), {"en": "and English"}),
        (("en",), {"en": "twice"}),
        ((), {"en": 42, "zh": "数字"}),
        ((("should be 42", "应为 42"),), {}),
    ],
    ids=["one-language", "three-texts", "text-and-keyword", "en-twice", "not-a-string", "tuple"],
)
def test_a_malformed_message_is_a_type_error(args, kwargs) -> None:
    """A call that does not say both languages is the check author's bug, reported as such
    (``expect`` too, even when its condition holds)."""
    with pytest.raises(TypeError, match="en=..., zh=..."):
        fail(*args, **kwargs)
    with pytest.raises(TypeError, match="en=..., zh=..."):
        expect(True, *args, **kwargs)


def test_check_failed_survives_pickling() -> None:
    """CheckFailed (and its subclasses) round-trip through pickle with their message."""
    from grader.judge.errors import Unsendable

    for exc in (CheckFailed(MESSAGE), Unsendable(en="too large", zh="太大")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and back.text == exc.text


DEPRECATED_CHECKS = """
from grader.checks import CheckFailed, Text, expect, fail, points


@points(1)
def test_positional_fail(submission):
    fail(f"double(21) is {submission.double(21)!r}", f"double(21) 是 {submission.double(21)!r}")


@points(1)
def test_positional_expect(submission):
    expect(submission.double(21) == 42, "double(21) should be 42", "double(21) 应为 42")


@points(1)
def test_positional_check_failed(submission):
    raise CheckFailed("raised by the check", "由检查抛出")


@points(1)
def test_text(submission):
    fail(Text(zh="一个 Text", en="one Text"))
"""


@pytest.mark.slow
def test_deprecated_forms_grade_as_before(tmp_path) -> None:
    """A course whose checks still use the positional forms grades exactly as before: each
    message in its language, and no check broken by a warning (the judge runs checks as a
    course's pytest would, where ``-W error`` is common)."""
    from grader.runner.api import grade_file
    from grader.runner.client import InProcessWorker

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    hidden = course / "exercises" / "double" / "hidden"
    for old in hidden.glob("test_*.py"):
        old.unlink()
    (hidden / "test_deprecated.py").write_text(DEPRECATED_CHECKS, encoding="utf-8")
    submission = tmp_path / "double.py"
    submission.write_text("def double(x):\n    return x + 1\n", encoding="utf-8")
    worker = InProcessWorker(preload_dynamo=False)
    try:
        result = grade_file("double", submission, course=course, worker=worker)
    finally:
        worker.close()
    messages = {t.name: (t.reason.value, t.message) for t in result.tests}
    assert messages == {
        "test_positional_fail": (
            "failed",
            Text(zh="double(21) 是 22", en="double(21) is 22"),
        ),
        "test_positional_expect": (
            "failed",
            Text(zh="double(21) 应为 42", en="double(21) should be 42"),
        ),
        "test_positional_check_failed": (
            "failed",
            Text(zh="由检查抛出", en="raised by the check"),
        ),
        "test_text": ("failed", Text(zh="一个 Text", en="one Text")),
    }
    assert result.to_dict("zh")["tests"][1]["messages"] == {
        "en": "double(21) should be 42",
        "zh": "double(21) 应为 42",
    }


@pytest.mark.slow
def test_violations_of_an_earlier_submission_do_not_leak(tmp_path) -> None:
    """A process that once loaded a submission itself (an in-process worker, a test run) holds
    that submission's runtime violations; the next executor it forks starts with none, so an
    honest submission is never failed for another one's policy violation."""
    from grader.runner.api import grade_file
    from grader.runner.client import InProcessWorker
    from grader.sandbox import policy
    from grader.sandbox.policy.errors import make_violation

    earlier = make_violation("builtin", "builtin-vars", 3, "earlier.py")
    policy.VIOLATIONS.append(earlier)
    submission = tmp_path / "double.py"
    submission.write_text("def double(x):\n    return 2 * x\n", encoding="utf-8")
    worker = InProcessWorker(preload_dynamo=False)
    try:
        result = grade_file("double", submission, course=COURSE, worker=worker)
    finally:
        worker.close()
        policy.VIOLATIONS.clear()
    reasons = {t.name: t.reason.value for t in result.tests}
    assert "policy" not in reasons.values(), result.tests
    assert reasons["test_number"] == "passed", result.tests
