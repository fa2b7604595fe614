"""The study layer honours a question's credit, points, penalty and hints.

The course is the grading fixture bank (``tests/data/banks/grading/good.yaml``) copied into a
temporary course folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.study.session import QuizSession

GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "grading" / "good.yaml"


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Study]:
    (tmp_path / "course" / "questions").mkdir(parents=True)
    shutil.copy(GOOD, tmp_path / "course" / "questions" / "grading.yaml")
    opened = Study.open(
        resolve_course(tmp_path / "course"),
        tmp_path / "data",
        clock=FakeClock(),
        enable_fuzzing=False,
    )
    yield opened
    opened.close()


def _goto(session: QuizSession, qid: str) -> None:
    session.goto([i.question_id for i in session.items].index(qid))


def test_a_retry_loses_the_penalty_for_each_wrong_try(study: Study) -> None:
    """penalty 0.25: wrong (0), nearly right (50 % - 25 %), then right (100 % - 2 x 25 %)."""
    session = study.new_session("practice", ids=("grading-single-credit",), seed=1)
    first = session.answer(2)
    second = session.answer(1)
    third = session.answer(0)
    assert (first.score, first.correct) == (0.0, False)
    assert (second.score, second.correct) == (0.25, False)
    assert (third.score, third.correct, third.attempt) == (0.5, True, 3)
    stored = [(a.score, a.attempt) for a in study.store.answers("grading-single-credit")]
    assert stored == [(0.0, 1), (0.25, 2), (0.5, 3)]
    assert session.current.first_score == 0.0  # the first try is what counts


def test_without_a_penalty_a_retry_keeps_full_credit(study: Study) -> None:
    """The default penalty (0) leaves retries as they always were."""
    session = study.new_session("practice", ids=("grading-true-false-default",), seed=1)
    assert session.answer(False).score == 0.0
    assert session.answer(True).score == 1.0


def test_partial_credit_of_an_option_reaches_the_session(study: Study) -> None:
    """The chosen option's credit is the session's score on a first try."""
    session = study.new_session("practice", ids=("grading-multiple-credit",), seed=1)
    feedback = session.answer({0})
    assert (feedback.score, feedback.correct) == (0.5, False)


def test_an_exam_weighs_each_question_by_its_points(study: Study) -> None:
    """Points 2 + 1 + 1: the single right (2), multiple half (0.5), true/false wrong (0)."""
    responses = {
        "grading-single-credit": 0,
        "grading-multiple-credit": [0],
        "grading-true-false-default": False,
    }
    session = study.new_session("exam", ids=tuple(responses), seed=5)
    for index, item in enumerate(session.items):
        session.goto(index)
        session.answer(responses[item.question_id])
    report = session.submit()
    assert (report.score, report.points, report.questions) == (2.5, 4.0, 3)
    assert report.percent == pytest.approx(62.5)
    by_tag = {row.key: (row.score, row.points) for row in report.by_tag}
    assert by_tag == {"credit": (2.5, 3.0), "defaults": (0.0, 1.0)}


def test_hints_are_shown_one_at_a_time(study: Study) -> None:
    """Each request shows one more hint, never more than there are; resumed exams keep count."""
    session = study.new_session("exam", ids=("grading-multiple-credit",), seed=1)
    for expected in (1, 2, 2):
        session.note_hint()
        assert session.current.hints_shown == expected
    row = study.store.session(session.id)
    assert row is not None
    resumed = QuizSession.resume(row, study.catalog, study.store, study.clock, study.scheduler)
    assert resumed.current.hints_shown == 2
