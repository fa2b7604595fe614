"""Provides a learner's statistics, computed from the progress store alone (no bank needed).

Counting rules: ``answered`` counts first tries (a practice retry after the explanation is not a
new answer); ``correct`` counts first tries with full credit; ``score`` sums their credit, so
partial credit shows there. The daily streak is the number of consecutive days, ending today, with
at least one answer; a streak that ended yesterday still counts until today is over.

The history counts every answer, retired questions' too; ``mastered`` and ``due`` count only the
cards of questions still in the course (a retired question is never offered for review, so a due
card of one is a review the learner could never clear).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fsrs import Card

from grader.study.clock import Clock
from grader.study.exercise_review import exercise_due_days, reviews
from grader.study.scheduling import ReviewScheduler
from grader.study.store import AnswerRecord, ProgressStore

__all__ = [
    "FORECAST_DAYS",
    "Stats",
    "Tally",
    "compute_stats",
    "due_forecast",
    "hint_stats",
    "streak_days",
]


@dataclass
class Tally:
    """Answers, full-credit answers and total credit of a group."""

    answered: int = 0
    correct: int = 0
    score: float = 0.0

    def add(self, record: AnswerRecord) -> None:
        self.answered += 1
        self.correct += record.score >= 1.0
        self.score += record.score

    @property
    def accuracy(self) -> float | None:
        """Share of full-credit answers, None without answers."""
        return self.correct / self.answered if self.answered else None

    def as_dict(self) -> dict[str, Any]:
        acc = self.accuracy
        return {
            "answered": self.answered,
            "correct": self.correct,
            "score": round(self.score, 3),
            "accuracy": None if acc is None else round(acc, 4),
        }


@dataclass(frozen=True)
class Stats:
    """Everything ``grader stats`` and the stats screen show."""

    total: Tally
    by_bank: dict[str, Tally]
    by_tag: dict[str, Tally]
    by_day: dict[str, Tally]
    """Per local day ``YYYY-MM-DD``, oldest first."""
    streak_days: int
    mastered: int
    """Cards of the course's questions counted as mastered (see grader.study.scheduling)."""
    due: int
    """Cards of the course's questions whose review is due now."""
    outdated: int
    """Answers made against an older version of their question."""

    def as_dict(self) -> dict[str, Any]:
        """JSON data: ``answered``, ``correct``, ``by_bank``, ``by_tag``, ``streak_days``, ..."""
        total = self.total.as_dict()
        return {
            "answered": total["answered"],
            "correct": total["correct"],
            "score": total["score"],
            "accuracy": total["accuracy"],
            "by_bank": {k: v.as_dict() for k, v in self.by_bank.items()},
            "by_tag": {k: v.as_dict() for k, v in self.by_tag.items()},
            "by_day": {k: v.as_dict() for k, v in self.by_day.items()},
            "streak_days": self.streak_days,
            "mastered": self.mastered,
            "due": self.due,
            "outdated_answers": self.outdated,
        }


def streak_days(days: Iterable[str], today: date) -> int:
    """Consecutive days with answers ending today (or yesterday, while today is not over)."""
    seen = set(days)
    day = today if today.isoformat() in seen else today - timedelta(days=1)
    streak = 0
    while day.isoformat() in seen:
        streak += 1
        day -= timedelta(days=1)
    return streak


def compute_stats(store: ProgressStore, clock: Clock, question_ids: Iterable[str]) -> Stats:
    """The statistics of everything in ``store`` as of ``clock``'s now; ``mastered`` and
    ``due`` count only the cards of ``question_ids`` (the questions now in the course)."""
    total = Tally()
    by_bank: dict[str, Tally] = {}
    by_tag: dict[str, Tally] = {}
    by_day: dict[str, Tally] = {}
    outdated = 0
    all_days = []
    for record in store.answers():
        all_days.append(record.day)
        if record.attempt != 1:
            continue
        outdated += record.outdated
        total.add(record)
        by_bank.setdefault(record.bank, Tally()).add(record)
        for tag in record.tags:
            by_tag.setdefault(tag, Tally()).add(record)
        by_day.setdefault(record.day, Tally()).add(record)
    now = clock.now()
    mastered = due = 0
    current = set(question_ids)
    for qid, stored in store.cards().items():
        if qid not in current:
            continue
        card = Card.from_dict(stored.card)  # type: ignore[arg-type]
        mastered += ReviewScheduler.is_mastered(card)
        due += card.due <= now
    return Stats(
        total=total,
        by_bank=dict(sorted(by_bank.items())),
        by_tag=dict(sorted(by_tag.items())),
        by_day=dict(sorted(by_day.items())),
        streak_days=streak_days(all_days, clock.today()),
        mastered=mastered,
        due=due,
        outdated=outdated,
    )


FORECAST_DAYS = 14
"""Days in the due-review forecast of ``grader stats`` (today and the 13 after it)."""


def due_forecast(
    store: ProgressStore,
    clock: Clock,
    days: int = FORECAST_DAYS,
    *,
    question_ids: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Reviews falling due on each of the next ``days`` days, today first:
    ``[{"day": "YYYY-MM-DD", "questions": int, "exercises": int}, ...]``.

    Today's counts include every overdue review. A card's day is its due time's distance in
    calendar days from now (UTC), counted from the learner's local today. With
    ``question_ids`` (the questions now in the course), a retired question's card is left out:
    it never comes up again.
    """
    today = clock.today()
    now_day = clock.now().date()
    rows: list[dict[str, Any]] = [
        {"day": (today + timedelta(days=i)).isoformat(), "questions": 0, "exercises": 0}
        for i in range(days)
    ]

    def add(due_day: date, kind: str) -> None:
        offset = max(0, (due_day - now_day).days)
        if offset < days:
            rows[offset][kind] += 1

    for question_id, stored in store.cards().items():
        if question_ids is not None and question_id not in question_ids:
            continue
        add(Card.from_dict(stored.card).due.date(), "questions")  # type: ignore[arg-type]
    for due_day in exercise_due_days(store):
        add(due_day, "exercises")
    return rows


def hint_stats(store: ProgressStore) -> dict[str, int]:
    """Hints used: ``question_hints`` (shown before first tries at questions),
    ``answers_with_hints`` (first tries that had one or more), ``exercise_hints`` (shown in
    exercise reviews and before first acceptances, see :mod:`grader.study.exercise_review`)."""
    first = [r for r in store.answers() if r.attempt == 1]
    return {
        "question_hints": sum(r.hints for r in first),
        "answers_with_hints": sum(r.hints > 0 for r in first),
        "exercise_hints": sum(r.hints for r in reviews(store)),
    }
