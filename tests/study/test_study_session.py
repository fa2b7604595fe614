"""Quiz sessions: seeded selection, practice grading, exams that save, resume and time out."""

from __future__ import annotations

import pytest

from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.study.session import QuizSession, SessionError


def _right(question: object) -> object:
    """A fully right response to a fixture question."""
    answer = getattr(question, "answer", None)
    kind = question.type
    if kind == "fill":
        return answer[0]  # type: ignore[index]
    if kind == "numeric":
        return str(answer)
    if kind == "order":
        return list(range(len(question.options)))  # type: ignore[attr-defined]
    if kind == "short":
        return "full"
    return answer


def _goto(session: QuizSession, qid: str) -> None:
    session.goto([i.question_id for i in session.items].index(qid))


def test_seed_fixes_selection_and_option_order(study: Study) -> None:
    """The same seed gives the same questions and option orders; another seed differs."""

    def shape(seed: int) -> list[tuple[str, list[int] | None]]:
        session = study.new_session("practice", count=6, seed=seed)
        return [(i.question_id, i.order) for i in session.items]

    assert shape(7) == shape(7)
    assert shape(7) != shape(8)
    assert len(shape(7)) == 6


def test_order_questions_never_start_solved(study: Study) -> None:
    """An order question is never shown in its correct order."""
    for seed in range(30):
        session = study.new_session("practice", banks=("fx-advanced",), seed=seed)
        _goto(session, "fx-order")
        assert session.current.order != sorted(session.current.order)


def test_filters_select_banks_and_tags(study: Study) -> None:
    """--bank and --tag narrow the pool; nothing matching is an error."""
    session = study.new_session("practice", tags=("training",), seed=1)
    assert [i.question_id for i in session.items] == ["fx-order"]
    session = study.new_session("practice", banks=("fx-basics",), count=50, seed=1)
    assert len(session) == 4
    with pytest.raises(SessionError):
        study.new_session("practice", banks=("fx-basics",), tags=("training",))


def test_practice_records_each_try_and_rates_the_first(study: Study) -> None:
    """Each graded try is stored at once; only the first updates the FSRS card."""
    session = study.new_session("practice", banks=("fx-basics",), seed=3)
    _goto(session, "fx-fill")
    first = session.answer("zero")
    assert (first.score, first.attempt, first.rated) == (0.0, 1, True)
    second = session.answer("zero_grad")
    assert (second.score, second.correct, second.attempt, second.rated) == (1.0, True, 2, False)
    answers = study.store.answers("fx-fill")
    assert [(a.response, a.score, a.attempt, a.mode) for a in answers] == [
        ("zero", 0.0, 1, "practice"),
        ("zero_grad", 1.0, 2, "practice"),
    ]
    assert len(study.store.reviews("fx-fill")) == 1
    with pytest.raises(SessionError):
        session.answer("   ")


def test_partial_credit_from_the_bank_engine(study: Study) -> None:
    """A multiple-choice answer with one right and no wrong option earns half."""
    session = study.new_session("practice", banks=("fx-basics",), seed=3)
    _goto(session, "fx-multiple")
    assert session.answer({0}).score == 0.5


def test_exam_saves_every_change_and_grades_on_submit(study: Study, clock: FakeClock) -> None:
    """Responses and flags are in the store after each change; answers only after submit."""
    session = study.new_session("exam", seed=5, count=9, time_limit_s=600)
    _goto(session, "fx-single")
    session.answer(1)
    session.answer(0)
    session.toggle_flag()
    stored = study.store.session(session.id)
    assert stored is not None and stored.status == "active"
    item = next(i for i in stored.state["items"] if i["question_id"] == "fx-single")
    assert (item["response"], item["flagged"]) == (0, True)
    assert study.store.answers() == []
    _goto(session, "fx-multiple")
    session.answer([0, 3])
    _goto(session, "fx-order")
    session.answer([0, 1, 3, 2])
    report = session.submit()
    assert report.questions == 9 and report.answered == 3
    assert report.score == pytest.approx(1.0 + 0.0 + 0.5)
    assert {a.question_id: a.score for a in study.store.answers()} == {
        "fx-single": 1.0,
        "fx-multiple": 0.0,
        "fx-order": 0.5,
    }
    by_bank = {t.key: (t.questions, t.answered, t.score) for t in report.by_bank}
    assert by_bank == {"fx-advanced": (5, 1, 0.5), "fx-basics": (4, 2, 1.0)}
    assert {m.question_id for m in report.misses} == set(study.catalog.questions) - {"fx-single"}
    with pytest.raises(SessionError):
        session.answer(1)
    assert study.store.reviews() == [], "exams do not change the schedule"


def test_killed_exam_resumes_with_answers_and_time(study: Study, clock: FakeClock) -> None:
    """A resumed exam has its responses and flags, and the time it had left when it stopped."""
    session = study.new_session("exam", seed=5, count=4, time_limit_s=300)
    session.answer(_right(session.question()))
    clock.advance(100)
    session.tick()
    session.toggle_flag(2)
    saved = [(i.question_id, i.response, i.flagged) for i in session.items]
    del session  # the process dies here
    clock.advance(3600)  # it stays dead for an hour
    resumed = study.active_exam()
    assert resumed is not None
    assert [(i.question_id, i.response, i.flagged) for i in resumed.items] == saved
    assert resumed.remaining_s == pytest.approx(200)
    clock.advance(50)
    assert resumed.tick() == pytest.approx(150)


def test_exam_times_out(study: Study, clock: FakeClock) -> None:
    """When the time is up, the next tick submits the exam and marks it timed out."""
    session = study.new_session("exam", seed=2, count=3, time_limit_s=60)
    clock.advance(61)
    assert session.tick() == 0
    assert session.status == "submitted" and session.timed_out
    assert study.active_exam() is None
    assert session.report().timed_out


def test_review_mode_uses_the_fsrs_queue(study: Study, clock: FakeClock) -> None:
    """Review shows due questions first, then new ones; with nothing due or new it refuses."""
    practice = study.new_session("practice", banks=("fx-basics",), seed=1)
    for _ in range(len(practice)):
        assert practice.answer(_right(practice.question())).correct
        practice.next()
    clock.advance(3600)
    review = study.new_session("review", banks=("fx-basics",), count=10)
    assert sorted(i.question_id for i in review.items) == sorted(
        q.id for q in study.catalog.select(("fx-basics",))
    )
    clock.advance(-3600 + 1)
    with pytest.raises(SessionError):
        study.new_session("review", banks=("fx-basics",))


def test_a_new_exam_submits_the_unfinished_one(study: Study) -> None:
    """At most one exam is active: starting another submits (and grades) the first."""
    first = study.new_session("exam", ids=("fx-true-false", "fx-fill"), seed=1)
    _goto(first, "fx-true-false")
    first.answer(False)
    second = study.new_session("exam", ids=("fx-numeric",), seed=1)
    stored = study.store.session(first.id)
    assert stored is not None and stored.status == "submitted"
    assert [(a.question_id, a.score) for a in study.store.answers()] == [("fx-true-false", 1.0)]
    active = study.active_exam()
    assert active is not None and active.id == second.id
