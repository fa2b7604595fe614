"""FSRS scheduling through an injected clock: ratings, due times, mastery, content changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating, State

from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.study.scheduling import rating_for


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (1.0, Rating.Good),
        (0.75, Rating.Hard),
        (0.5, Rating.Hard),
        (0.49, Rating.Again),
        (0.0, Rating.Again),
    ],
)
def test_rating_rule(score: float, rating: Rating) -> None:
    """Right -> Good, partial credit >= 0.5 -> Hard, less -> Again (documented in scheduling)."""
    assert rating_for(score) == rating


def test_right_answers_space_out_reviews(study: Study, clock: FakeClock) -> None:
    """Good, Good moves a card from learning (due in 10 min) to review (due in days)."""
    sched = study.scheduler
    qid, digest = "fx-single", study.catalog.hashes["fx-single"]
    start = clock.now()
    card = sched.review(qid, 1.0, digest)
    assert card.state == State.Learning and card.due - start == timedelta(minutes=10)
    assert sched.due([qid]) == []
    clock.advance(600)
    assert sched.due([qid]) == [qid]
    card = sched.review(qid, 1.0, digest)
    assert card.state == State.Review and card.due - clock.now() >= timedelta(days=1)
    assert [r.rating for r in study.store.reviews(qid)] == [Rating.Good, Rating.Good]


def test_wrong_answer_relearns(study: Study, clock: FakeClock) -> None:
    """A lapse in the Review state (Again) sends the card to relearning, due within minutes."""
    sched = study.scheduler
    digest = study.catalog.hashes["fx-fill"]
    sched.review("fx-fill", 1.0, digest)
    clock.advance(600)
    card = sched.review("fx-fill", 1.0, digest)
    clock.set(card.due)
    card = sched.review("fx-fill", 0.0, digest)
    assert card.state == State.Relearning
    assert card.due - clock.now() <= timedelta(minutes=10)


def test_mastery_needs_stability(study: Study, clock: FakeClock) -> None:
    """A question counts as mastered only once its stability reaches 21 days."""
    sched = study.scheduler
    digest = study.catalog.hashes["fx-single"]
    assert study.mastery("fx-basics").new == 4
    card = sched.review("fx-single", 1.0, digest)
    while not sched.is_mastered(card):
        assert study.mastery("fx-basics").mastered == 0
        clock.set(card.due)
        card = sched.review("fx-single", 1.0, digest)
    assert card.stability >= 21
    mastery = study.mastery("fx-basics")
    assert (mastery.total, mastery.mastered, mastery.new) == (4, 1, 3)


def test_queue_puts_due_before_new(study: Study, clock: FakeClock) -> None:
    """The review queue holds due questions first, then new ones up to the new limit."""
    sched = study.scheduler
    sched.review("fx-fill", 1.0, study.catalog.hashes["fx-fill"])
    clock.advance(3600)
    ids = ["fx-single", "fx-multiple", "fx-fill"]
    assert sched.queue(ids, limit=10, new_limit=1) == ["fx-fill", "fx-single"]


def test_changed_content_marks_history(study: Study, clock: FakeClock) -> None:
    """When a question's hash changes, its answers and reviews are kept but marked outdated
    and its card starts afresh."""
    session = study.new_session("practice", banks=("fx-basics",), seed=1)
    while session.current.question_id != "fx-true-false":
        session.next()
    session.answer(False)
    assert study.store.card("fx-true-false") is not None
    changed = study.scheduler.sync_content({**study.catalog.hashes, "fx-true-false": "new-hash"})
    assert changed == ["fx-true-false"]
    assert [a.outdated for a in study.store.answers("fx-true-false")] == [True]
    assert [r.outdated for r in study.store.reviews("fx-true-false")] == [True]
    assert study.store.card("fx-true-false") is None
    assert study.scheduler.sync_content(study.catalog.hashes) == []
