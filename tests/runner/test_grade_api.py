"""Grading through the Python API with a warm worker: what a learner's submission gets back."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from runner_support import SUBMISSIONS, validate_result_json

from grader.errors import UsageError
from grader.runner.api import grade_file
from grader.runner.client import Cancelled, WarmWorker
from grader.runner.result import Reason

CHECKS = ["test_value", "test_sizes[1]", "test_sizes[5]", "test_dtype"]


def grade(course, worker, name, **kw):
    path = name if isinstance(name, Path) else SUBMISSIONS / name
    result = grade_file("add-one", path, course=course, worker=worker, **kw)
    for lang in ("en", "zh"):
        validate_result_json(result.to_dict(lang))
    assert [t.name for t in result.tests] == CHECKS, "every check appears in every result"
    assert result.max_score == 4
    return result


def reasons(result):
    return {t.name: t.reason for t in result.tests}


def test_correct_submission_gets_full_marks(course, worker):
    """A correct submission passes every check, and its own printed output is reported."""
    result = grade(course, worker, "correct.py")
    assert result.score == 4 and result.full_marks
    assert int(result.exit_code) == 0
    assert "hello from the learner" in result.learner_output


def test_wrong_values_fail_with_bilingual_expected_vs_got(course, worker):
    """A wrong result fails the value checks with a message naming expected and got values."""
    result = grade(course, worker, "wrong_value.py")
    r = reasons(result)
    assert r["test_value"] is Reason.FAILED and r["test_dtype"] is Reason.PASSED
    msg = result.tests[0].message
    assert "expected 1" in msg.en and "got 2" in msg.en
    assert "期望" in msg.zh
    assert "assert_close" not in result.tests[0].output("en"), "no check source is shown"


def test_partial_credit_for_one_mistake(course, worker):
    """A dtype mistake loses only the dtype check's point."""
    result = grade(course, worker, "wrong_dtype.py")
    assert result.score == 3
    assert reasons(result)["test_dtype"] is Reason.FAILED
    assert "torch.float64" in result.tests[-1].message.en


def test_crash_shows_traceback_through_learner_code(course, worker):
    """An exception in the learner's code is an error with their own file and line numbers."""
    result = grade(course, worker, "crash.py")
    check = result.tests[0]
    assert check.reason is Reason.ERROR
    assert 'File "crash.py", line 2, in helper' in check.traceback
    assert 'File "crash.py", line 6, in add_one' in check.traceback
    assert "test_add_one" not in check.traceback
    assert check.lineno == 2


def test_syntax_error_is_a_graded_result_with_line_and_column(course, worker):
    """A syntax error fails every check with its line and column, never a traceback."""
    result = grade(course, worker, "syntax_error.py")
    assert all(t.reason is Reason.ERROR for t in result.tests)
    assert "line 4" in result.summary.en and "第 4 行" in result.summary.zh
    assert result.tests[0].lineno == 4


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("empty.py", "is empty"),
        ("binary.py", "binary file"),
        ("latin1.py", "not valid UTF-8"),
        ("huge.py", "too large"),
    ],
)
def test_unrunnable_files_are_explained(course, worker, name, needle, tmp_path):
    """Empty, binary, non-UTF-8 and huge files each get a clear graded result."""
    if name == "huge.py":  # 1.2 MB: generated rather than committed
        huge = tmp_path / name
        huge.write_text("x = 1\n" * 200_000 + "def add_one(x):\n    return x + 1\n")
        name = huge
    result = grade(course, worker, name)
    assert result.score == 0
    assert needle in result.summary.en


def test_missing_names_are_named(course, worker):
    """A file that defines nothing the exercise needs fails saying which name is missing."""
    result = grade(course, worker, "defines_nothing.py")
    assert all(t.reason is Reason.FAILED for t in result.tests)
    assert "does not define `add_one`" in result.tests[0].message.en
    assert "没有定义 `add_one`" in result.tests[0].message.zh


def test_policy_violation_names_the_line(course, worker):
    """A forbidden import is reason 'policy' with the line of the import."""
    result = grade(course, worker, "policy_import.py")
    assert all(t.reason is Reason.POLICY for t in result.tests)
    assert result.tests[0].lineno == 2


def test_one_hanging_check_costs_only_its_points(course, worker):
    """A check that hangs times out on its own; the other checks keep their points."""
    started = time.monotonic()
    result = grade(course, worker, "hangs_on_five.py", timeout=1)
    elapsed = time.monotonic() - started
    assert reasons(result)["test_sizes[5]"] is Reason.TIMEOUT
    assert result.score == 3
    assert elapsed < 6


def test_early_exit_is_an_honest_failure(course, worker):
    """SystemExit inside the submission never counts as a pass."""
    result = grade(course, worker, "exits_early.py")
    assert result.score == 0
    assert all(t.reason in (Reason.ERROR, Reason.POLICY) for t in result.tests)


def test_output_flood_is_capped(course, worker):
    """A submission printing megabytes is graded normally, with its output cut and marked."""
    result = grade(course, worker, "prints_a_lot.py")
    assert result.score == 4
    assert len(result.learner_output) <= 8_000
    assert result.learner_output_truncated or "[" in result.learner_output


def test_fake_summary_on_stdout_changes_nothing(course, worker):
    """Printing something that looks like a result does not change the grade."""
    result = grade(course, worker, "fake_summary.py")
    assert result.score == 1  # only the dtype check passes for `return x`


def test_conftest_beside_the_submission_has_no_effect(course, worker):
    """A hostile conftest.py and pytest.ini next to the submission are ignored."""
    result = grade_file(
        "add-one", SUBMISSIONS / "with_conftest" / "submission.py", course=course, worker=worker
    )
    assert reasons(result)["test_value"] is Reason.FAILED


def test_public_checks_run_with_check_kind(course, worker):
    """`check` runs only the public checks, each worth one point by default."""
    result = grade_file(
        "add-one", SUBMISSIONS / "wrong_value.py", kind="public", course=course, worker=worker
    )
    assert [t.name for t in result.tests] == ["test_returns_tensor"]
    assert result.full_marks


def test_cuda_exercise_without_gpu_is_skipped_not_zero(course, monkeypatch):
    """A CUDA exercise on a machine without a GPU is incomplete (exit 3), never a 0 (a worker
    started with every CUDA device hidden stands for that machine, whatever this one has)."""
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    with WarmWorker() as no_gpu:
        assert no_gpu.start()["cuda"] is False
        sub = SUBMISSIONS / "correct.py"
        result = grade_file("needs-gpu", sub, course=course, worker=no_gpu)
    assert all(t.reason is Reason.SKIPPED for t in result.tests)
    assert int(result.exit_code) == 3
    assert result.max_score == 1


def test_unknown_exercise_suggests_nearest(course, worker):
    """An unknown exercise id is a usage error that names the nearest id."""
    with pytest.raises(UsageError, match="Did you mean 'add-one'"):
        grade_file("add-on", SUBMISSIONS / "correct.py", course=course, worker=worker)


def test_progress_is_reported_per_check(course, worker):
    """The job reports progress after every check."""
    seen = []
    grade_file(
        "add-one",
        SUBMISSIONS / "correct.py",
        course=course,
        worker=worker,
        on_progress=lambda done, total, name: seen.append((done, total, name)),
    )
    assert seen == [(i + 1, 4, name) for i, name in enumerate(CHECKS)]


def test_cancel_kills_the_whole_grading_tree(course):
    """Cancelling a hanging job returns promptly and leaves no process behind."""
    from grader.runner.client import WarmWorker

    with WarmWorker() as w:
        w.start()
        pid = w._proc.pid  # the test checks the process group is gone
        cancel = threading.Event()
        threading.Timer(1.0, cancel.set).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            grade_file(
                "add-one", SUBMISSIONS / "hangs_on_five.py", course=course, worker=w, cancel=cancel
            )
        # Cancelled (not a timeout result) is the proof; the bound only says "no hang", with
        # room for a loaded machine's process start-up.
        assert time.monotonic() - started < 10
        deadline = time.monotonic() + 3
        while live_processes_in_group(pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # SIGKILL is delivered at once; the kernel tears down quickly
        assert live_processes_in_group(pid) == []


def live_processes_in_group(pgid: int) -> list[int]:
    """Pids of processes (not zombies) whose process group is ``pgid``."""
    import os

    live = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            live.append(int(entry))
    return live
