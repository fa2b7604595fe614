"""The grading fields of the bank model: per-option credit, points, penalty and hints.

Fixtures: ``tests/data/banks/grading/good.yaml`` uses every field, ``broken.yaml`` has one
question per rule `grader validate` enforces on them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.bank.answers import Score, after_wrong_tries, check_answer
from grader.bank.loader import load_banks
from grader.bank.model import BankText, Hint, QuestionBase
from grader.study.content import content_hash

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"
GRADING = DATA / "grading"


@pytest.fixture(scope="module")
def q() -> dict[str, QuestionBase]:
    """The good fixture's questions by id."""
    result = load_banks([GRADING / "good.yaml"], cache=False)
    assert result.ok, result.problems
    return {question.id: question for question in result.questions()}


def test_defaults_keep_a_question_as_it_was(q: dict[str, QuestionBase]) -> None:
    """Without the new keys a question is worth 1 point, has no penalty and its one hint."""
    question = q["grading-true-false-default"]
    assert (question.points, question.penalty, question.hints) == (1.0, 0.0, ())
    assert question.all_hints == (Hint(zh="想想默认值。", en="Think of the defaults."),)
    assert question.hint == BankText(zh="想想默认值。", en="Think of the defaults.")


def test_every_field_is_read(q: dict[str, QuestionBase]) -> None:
    """credit, points, penalty and a list of hints (one marked gives_away) load as written."""
    single = q["grading-single-credit"]
    assert single.credit == (100.0, 50.0, -25.0)  # type: ignore[attr-defined]
    assert (single.points, single.penalty) == (2.0, 0.25)
    multiple = q["grading-multiple-credit"]
    assert [h.gives_away for h in multiple.all_hints] == [False, True]
    assert multiple.all_hints[1].en == "D is wrong."


@pytest.mark.parametrize(("chosen", "value"), [(0, 1.0), (1, 0.5), (2, 0.0)])
def test_single_scores_the_chosen_options_credit(
    q: dict[str, QuestionBase], chosen: int, value: float
) -> None:
    """The answer is full credit, a nearly right option its 50 %, a negative credit 0."""
    score = check_answer(q["grading-single-credit"], chosen)
    assert score == Score.of(value)
    assert score.correct is (value == 1.0)


@pytest.mark.parametrize(
    ("chosen", "value"),
    [
        ({0, 1, 2}, 1.0),
        ({0}, 0.5),
        ({0, 1}, 0.8333333),
        ({1, 2}, 0.5),
        ({0, 3}, 0.0),
        ({0, 1, 2, 3}, 0.0),
        (set(), 0.0),
    ],
)
def test_multiple_adds_up_the_chosen_credits(
    q: dict[str, QuestionBase], chosen: set[int], value: float
) -> None:
    """Sum of the chosen percentages, floored at 0; thirds written 33.33333 still reach 100 %."""
    score = check_answer(q["grading-multiple-credit"], chosen)
    assert score.value == pytest.approx(value, abs=1e-6)
    assert score.correct is (value == 1.0)


def test_thirds_written_as_moodle_does_still_reach_full_credit(q: dict[str, QuestionBase]) -> None:
    """33.33333 x 3 is full credit, also beside an option worth 0 (Moodle's neutral option)."""
    question = q["grading-multiple-thirds"]
    assert check_answer(question, {0, 1, 2, 3}) == Score(1.0, True)
    assert check_answer(question, {0, 3}).value == pytest.approx(1 / 3)


def test_the_penalty_comes_off_each_retry() -> None:
    """max(0, credit - penalty x earlier wrong tries); no penalty or no wrong try changes nothing."""
    assert after_wrong_tries(1.0, 0.25, 0) == 1.0
    assert after_wrong_tries(1.0, 0.25, 1) == 0.75
    assert after_wrong_tries(0.5, 0.25, 3) == 0.0
    assert after_wrong_tries(1.0, 0.0, 5) == 1.0


def test_broken_grading_fields_are_reported_at_their_lines() -> None:
    """Each rule names the file, the line, the question and what to do."""
    result = load_banks([GRADING / "broken.yaml"], cache=False)
    path = str(GRADING / "broken.yaml")
    assert [str(p).removeprefix(path + ":") for p in result.problems] == [
        "14: broken-single-short-of-full: the answer (option 0) has credit 90 %, so the question "
        "can never reach 100 %; give the answer 100",
        "14: broken-single-short-of-full: option 1 also gives 100 %: only the answer (option 0) "
        "gives full credit; lower its credit, or use a multiple question",
        "26: broken-multiple-short: option 2 has credit 20 % but is not in answer: add it to "
        "answer, or give it 0 or a negative credit",
        "27: broken-multiple-short: partial_credit and credit are both given: credit already sets "
        "what each option is worth; remove partial_credit",
        "39: broken-multiple-never-full: credits can never reach 100 %: choosing every correct "
        "option scores 80 %; the positive credits must add up to 100",
        "50: broken-multiple-length: credit lists 3 values for 2 options; give one percentage per "
        "option, in the order of options",
        "62: broken-multiple-over: the positive credits add up to 120 %, over 100 %: a learner "
        "would get full credit without choosing every correct option; make them add up to 100",
        "70: broken-ranges: penalty must be from 0 to 1 (the fraction of the credit lost per wrong "
        "try), got 1.5",
        "71: broken-ranges: points must be greater than 0, got 0",
        "82: broken-credit-range: credit[1] must be a percentage from -100 to 100, got -150",
        "92: broken-two-hint-keys: both 'hint' and 'hints' are given: write one hint as 'hint', "
        "several as 'hints' (a list, shown in order)",
    ]
    assert result.questions() == []


def test_grader_validate_reports_them_as_a_user_sees_it(tmp_path: Path) -> None:
    """`grader validate` on the broken file exits 1 and prints file:line problems, no traceback."""
    grader = Path(sys.executable).with_name("grader")
    proc = subprocess.run(
        [str(grader), "validate", "--no-cache", str(GRADING / "broken.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GRADER_DATA_DIR": str(tmp_path)},
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"{GRADING / 'broken.yaml'}:39: broken-multiple-never-full: credits can never" in (
        proc.stdout
    )
    assert "penalty must be from 0 to 1" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_content_hash_ignores_the_grading_fields_and_is_unchanged() -> None:
    """History stays current: the hash of a question without the new keys is the one stored
    before they existed, and points, penalty and hints do not change it; credit does."""
    result = load_banks([DATA / "good" / "questions" / "all_types.yaml"], cache=False)
    single = result.find("good-single")
    assert single is not None
    assert content_hash(single) == "a782fb46cdc5635e"  # computed by the code before the change
    reweighted = single.model_copy(
        update={"points": 3.0, "penalty": 0.5, "hints": (Hint(zh="再想想。", en="Think again."),)}
    )
    assert content_hash(reweighted) == content_hash(single)
    credited = single.model_copy(update={"credit": (100.0, 50.0, 0.0)})
    assert content_hash(credited) != content_hash(single)
