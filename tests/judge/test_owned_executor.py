"""The decisive test: with the executor owned (no policy, no OS layer: full Python power inside
it), a submission scores no more than its honest score and never sees a check or a solution.

Reading the course straight from the disk, or another process's memory, is what the OS layers
stop (tests/sandbox, tests/hostile); here they are off on purpose, so these attacks go through
everything else: the grader's own modules in the executor, the channel, the output, the memory
the executor inherited.
"""

from __future__ import annotations

import pytest
from judge_support import CANARY, SUBMISSIONS, failed, grade_json, grade_owned

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def honest_half() -> float:
    """The honest score of double_half.py (2 of 4), graded with every layer on."""
    result = grade_json("double", SUBMISSIONS / "double_half.py")
    assert result["score"] == 2.0, result
    return result["score"]


def test_owned_switch_really_removes_the_sandbox():
    """Under the switch a submission may import os (the policy is off): the test is real."""
    result = grade_owned("double", SUBMISSIONS / "owned_memory_scan.py")
    assert result["score"] == 2.0, result
    assert "policy" not in {t["reason"] for t in result["tests"]}


@pytest.mark.parametrize(
    "attack",
    [
        "owned_patch_grader.py",
        "owned_forge_frames.py",
        "owned_print_fake.py",
        "owned_huge_frame.py",
    ],
)
def test_owned_attack_scores_no_more_than_honest(attack, honest_half):
    result = grade_owned("double", SUBMISSIONS / attack)
    assert result["score"] <= honest_half, result
    assert "test_scale_in_place" in failed(result)


def test_owned_executor_finds_no_check_or_solution():
    """Its whole memory, the gc, its environment and its scratch folder hold no canary."""
    result = grade_owned("double", SUBMISSIONS / "owned_memory_scan.py")
    text = str(result)
    assert "nothing found" in text, text[:3000]
    assert not CANARY.search(text)


def test_fake_report_is_cleaned():
    """Terminal escapes, carriage returns and XML-invalid characters never reach a report."""
    result = grade_owned("double", SUBMISSIONS / "owned_print_fake.py")
    text = result.get("output", "") + "".join(t.get("output", "") for t in result["tests"])
    assert "Score: 4/4" in text  # the text is shown, but inert
    for bad in ("\x1b", "\r", "\x00", "\x0b", "\ud800", "\x07"):
        assert bad not in text, repr(bad)


@pytest.mark.parametrize("owned", [False, True], ids=["sandboxed", "owned"])
def test_in_place_grad_output_is_harmless(owned):
    """Zeroing grad_output in place buys nothing: the judge's reference uses its own copy."""
    grade = grade_owned if owned else grade_json
    honest = grade_json("square-grad", SUBMISSIONS / "returns_zeros.py")
    attack = grade("square-grad", SUBMISSIONS / "zero_grad_output.py")
    assert attack["score"] <= honest["score"] < attack["max_score"], attack
    assert {"test_backward_direct", "test_gradcheck"} <= failed(attack)


@pytest.mark.parametrize("owned", [False, True], ids=["sandboxed", "owned"])
def test_poisoned_loader_is_harmless(owned):
    """Overwriting the loader's targets changes only the learner's copy; the judge replays on its
    own data and model."""
    grade = grade_owned if owned else grade_json
    attack = grade("fit-line", SUBMISSIONS / "poison_targets.py")
    assert attack["score"] == 0.0, attack
