"""Provides spaced review of accepted code exercises with FSRS (the ``fsrs`` package).

An exercise gets an FSRS card the first time it is accepted (a submission with full marks). When
the card falls due, opening the exercise starts a review: the learner's accepted code is kept in
``<workspace>/accepted/<id>.py`` (written once, never overwritten), the workspace file is the
starter again, and the exercise is graded as usual. The review ends with its first complete
submission (a run whose checks were skipped, e.g. without a GPU, does not count).

Rating rule (the first complete submission of a review, and the first acceptance):

==============================================  ==========
submission                                      rating
==============================================  ==========
full marks, no hint shown                       Good
full marks after one or more hints             Hard
less than full marks                            Again
==============================================  ==========

``Easy`` is never given automatically. A review's hints are counted while it is open (and kept
across restarts); the first acceptance is rated by the hints shown before it.

Tables (added to a store of any age with ``CREATE TABLE IF NOT EXISTS``):

- ``exercise_cards``: the FSRS card of each accepted exercise.
- ``exercise_reviews``: every rating given, with the score and the hints used.
- ``exercise_review_open``: reviews started and not yet rated, with the hints shown so far.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

from grader.study.store import ProgressStore

__all__ = [
    "ExerciseReview",
    "add_review_hint",
    "days_ahead",
    "due_exercises",
    "ensure_review_tables",
    "exercise_due_days",
    "export_review_rows",
    "has_card",
    "import_review_rows",
    "open_review",
    "rate",
    "review_hints",
    "review_is_open",
    "reset_reviews",
    "review_stats",
    "reviews",
    "start_review",
    "submission_rating",
]

_TABLES = (
    """CREATE TABLE IF NOT EXISTS exercise_cards (
        exercise_id TEXT PRIMARY KEY,
        card TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exercise_reviews (
        uid TEXT PRIMARY KEY,
        exercise_id TEXT NOT NULL,
        rating INTEGER NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        hints INTEGER NOT NULL,
        first INTEGER NOT NULL,
        reviewed_at TEXT NOT NULL,
        day TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exercise_review_open (
        exercise_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        hints INTEGER NOT NULL DEFAULT 0
    )""",
)


@dataclass(frozen=True)
class ExerciseReview:
    """One rating of an exercise."""

    uid: str
    exercise_id: str
    rating: int
    """``fsrs.Rating`` value: 1 Again, 2 Hard, 3 Good."""
    score: float
    max_score: float
    hints: int
    """Hints shown before this submission (in the review, or before the first acceptance)."""
    first: bool
    """True for the rating given at the first acceptance, False for a review."""
    reviewed_at: datetime
    day: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "exercise_id": self.exercise_id,
            "rating": self.rating,
            "score": self.score,
            "max_score": self.max_score,
            "hints": self.hints,
            "first": self.first,
            "reviewed_at": self.reviewed_at.isoformat(),
            "day": self.day,
        }


def ensure_review_tables(store: ProgressStore) -> None:
    """Add the review tables to ``store`` when they are missing (safe to call every time)."""
    with store.transaction() as db:
        for statement in _TABLES:
            db.execute(statement)


def submission_rating(full_marks: bool, hints: int) -> Rating:
    """The FSRS rating of a submission (see the module docstring)."""
    if not full_marks:
        return Rating.Again
    return Rating.Hard if hints > 0 else Rating.Good


def _card_id(exercise_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"exercise:{exercise_id}".encode()).digest()[:6], "big")


def _cards(store: ProgressStore) -> dict[str, Card]:
    ensure_review_tables(store)
    with store.transaction() as db:
        rows = db.execute("SELECT exercise_id, card FROM exercise_cards").fetchall()
    return {row[0]: Card.from_dict(json.loads(row[1])) for row in rows}


def has_card(store: ProgressStore, exercise_id: str) -> bool:
    """True once the exercise has been accepted and scheduled."""
    return exercise_id in _cards(store)


def rate(
    store: ProgressStore,
    exercise_id: str,
    *,
    full_marks: bool,
    score: float,
    max_score: float,
    hints: int,
    now: datetime,
    day: date,
    scheduler: Scheduler | None = None,
) -> ExerciseReview:
    """Rate a submission, store the updated card and the rating, and close an open review."""
    first = not has_card(store, exercise_id)
    card = _cards(store).get(exercise_id) or Card(card_id=_card_id(exercise_id), due=now)
    rating = submission_rating(full_marks, hints)
    card, _log = (scheduler or Scheduler()).review_card(card, rating, review_datetime=now)
    review = ExerciseReview(
        uid=uuid.uuid4().hex,
        exercise_id=exercise_id,
        rating=int(rating),
        score=float(score),
        max_score=float(max_score),
        hints=int(hints),
        first=first,
        reviewed_at=now,
        day=day.isoformat(),
    )
    with store.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO exercise_cards VALUES (?,?,?)",
            (exercise_id, json.dumps(card.to_dict()), now.isoformat()),
        )
        db.execute(
            "INSERT INTO exercise_reviews VALUES (?,?,?,?,?,?,?,?,?)",
            (
                review.uid,
                exercise_id,
                review.rating,
                review.score,
                review.max_score,
                review.hints,
                int(first),
                now.isoformat(),
                review.day,
            ),
        )
        db.execute("DELETE FROM exercise_review_open WHERE exercise_id = ?", (exercise_id,))
    return review


def due_exercises(store: ProgressStore, now: datetime) -> list[str]:
    """Accepted exercises whose review is due at ``now`` and not yet started, most overdue first
    (an exercise whose review is open counts as due until it is rated)."""
    due = sorted((card.due, eid) for eid, card in _cards(store).items() if card.due <= now)
    return [eid for _, eid in due]


def exercise_due_days(store: ProgressStore) -> list[date]:
    """The UTC day each scheduled exercise is due (for the 14-day forecast)."""
    return [card.due.date() for card in _cards(store).values()]


def review_is_open(store: ProgressStore, exercise_id: str) -> bool:
    """True while a review of the exercise is started and not yet rated."""
    return open_review(store, exercise_id) is not None


def open_review(store: ProgressStore, exercise_id: str) -> datetime | None:
    """When the open review of the exercise started, or None."""
    ensure_review_tables(store)
    with store.transaction() as db:
        row = db.execute(
            "SELECT started_at FROM exercise_review_open WHERE exercise_id = ?", (exercise_id,)
        ).fetchone()
    return None if row is None else datetime.fromisoformat(row[0])


def start_review(store: ProgressStore, exercise_id: str, now: datetime) -> None:
    """Open a review of the exercise (its hint count starts at 0)."""
    ensure_review_tables(store)
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO exercise_review_open VALUES (?,?,0)",
            (exercise_id, now.isoformat()),
        )


def add_review_hint(store: ProgressStore, exercise_id: str) -> None:
    """Count one more hint shown in the open review of the exercise (none open: nothing)."""
    ensure_review_tables(store)
    with store.transaction() as db:
        db.execute(
            "UPDATE exercise_review_open SET hints = hints + 1 WHERE exercise_id = ?",
            (exercise_id,),
        )


def review_hints(store: ProgressStore, exercise_id: str) -> int:
    """Hints shown so far in the open review of the exercise (0 when none is open)."""
    ensure_review_tables(store)
    with store.transaction() as db:
        row = db.execute(
            "SELECT hints FROM exercise_review_open WHERE exercise_id = ?", (exercise_id,)
        ).fetchone()
    return 0 if row is None else int(row[0])


def reviews(store: ProgressStore) -> list[ExerciseReview]:
    """Every stored rating, oldest first."""
    ensure_review_tables(store)
    with store.transaction() as db:
        rows = db.execute("SELECT * FROM exercise_reviews ORDER BY reviewed_at, rowid").fetchall()
    return [
        ExerciseReview(
            uid=row["uid"],
            exercise_id=row["exercise_id"],
            rating=row["rating"],
            score=row["score"],
            max_score=row["max_score"],
            hints=row["hints"],
            first=bool(row["first"]),
            reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
            day=row["day"],
        )
        for row in rows
    ]


def review_stats(store: ProgressStore, now: datetime) -> dict[str, Any]:
    """The review part of ``grader stats``' exercise data: ``scheduled`` (accepted exercises
    with a card), ``due`` (due now), ``reviews`` (ratings given in reviews, not counting the
    first acceptance) and ``review_hints`` (hints shown in those reviews)."""
    done = [r for r in reviews(store) if not r.first]
    return {
        "scheduled": len(_cards(store)),
        "due": len(due_exercises(store, now)),
        "reviews": len(done),
        "review_hints": sum(r.hints for r in done),
    }


def reset_reviews(store: ProgressStore) -> None:
    """Delete every exercise card, rating and open review."""
    ensure_review_tables(store)
    with store.transaction() as db:
        for table in ("exercise_cards", "exercise_reviews", "exercise_review_open"):
            db.execute(f"DELETE FROM {table}")


def days_ahead(today: date, days: int) -> list[date]:
    """``today`` and the ``days - 1`` days after it."""
    return [today + timedelta(days=i) for i in range(days)]


def export_review_rows(store: ProgressStore) -> dict[str, list[dict[str, Any]]]:
    """The review tables as JSON data, for ``grader progress export``: ``exercise_cards``
    (``exercise_id``, ``card``, ``updated_at``), ``exercise_reviews`` (as
    :meth:`ExerciseReview.as_dict`, hints included) and ``exercise_review_open``
    (``exercise_id``, ``started_at``, ``hints``)."""
    ensure_review_tables(store)
    with store.transaction() as db:
        cards = [
            {"exercise_id": r[0], "card": json.loads(r[1]), "updated_at": r[2]}
            for r in db.execute("SELECT exercise_id, card, updated_at FROM exercise_cards")
        ]
        still_open = [
            {"exercise_id": r[0], "started_at": r[1], "hints": r[2]}
            for r in db.execute("SELECT exercise_id, started_at, hints FROM exercise_review_open")
        ]
    return {
        "exercise_cards": cards,
        "exercise_reviews": [r.as_dict() for r in reviews(store)],
        "exercise_review_open": still_open,
    }


_EXPORT_FIELDS = {
    "exercise_cards": ("exercise_id", "card", "updated_at"),
    "exercise_reviews": tuple(ExerciseReview.__dataclass_fields__),
    "exercise_review_open": ("exercise_id", "started_at", "hints"),
}


def import_review_rows(store: ProgressStore, data: dict[str, Any]) -> dict[str, int]:
    """Merge the review part of a progress export (ratings by ``uid``; a card replaces the
    stored one only when newer; an open review is added when none is open). A document without
    these keys (an export made before spaced review of exercises) adds nothing. Returns the rows
    added per table.

    Raises:
        ValueError: a row is malformed (the message says which).
    """
    parsed: dict[str, list[tuple[Any, ...]]] = {}
    for key, names in _EXPORT_FIELDS.items():
        rows = data.get(key, [])
        if not isinstance(rows, list):
            raise ValueError(f"{key}: expected a list")
        parsed[key] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or set(row) != set(names):
                raise ValueError(f"{key}[{i}]: expected an object with {', '.join(names)}")
            try:
                for stamp in ("updated_at", "started_at", "reviewed_at"):
                    if stamp in row:
                        datetime.fromisoformat(row[stamp])
                if key == "exercise_cards":
                    Card.from_dict(row["card"])
                    values: tuple[Any, ...] = (
                        str(row["exercise_id"]),
                        json.dumps(row["card"]),
                        row["updated_at"],
                    )
                elif key == "exercise_reviews":
                    values = (
                        str(row["uid"]),
                        str(row["exercise_id"]),
                        int(row["rating"]),
                        float(row["score"]),
                        float(row["max_score"]),
                        int(row["hints"]),
                        int(bool(row["first"])),
                        row["reviewed_at"],
                        str(row["day"]),
                    )
                else:
                    values = (str(row["exercise_id"]), row["started_at"], int(row["hints"]))
            except (TypeError, ValueError, KeyError) as exc:
                raise ValueError(f"{key}[{i}]: {exc}") from None
            parsed[key].append(values)
    ensure_review_tables(store)
    added = dict.fromkeys(_EXPORT_FIELDS, 0)
    with store.transaction() as db:
        for values in parsed["exercise_cards"]:
            added["exercise_cards"] += db.execute(
                "INSERT INTO exercise_cards VALUES (?,?,?) ON CONFLICT(exercise_id) DO UPDATE SET "
                "card = excluded.card, updated_at = excluded.updated_at "
                "WHERE excluded.updated_at > updated_at",
                values,
            ).rowcount
        for values in parsed["exercise_reviews"]:
            added["exercise_reviews"] += db.execute(
                "INSERT OR IGNORE INTO exercise_reviews VALUES (?,?,?,?,?,?,?,?,?)", values
            ).rowcount
        for values in parsed["exercise_review_open"]:
            added["exercise_review_open"] += db.execute(
                "INSERT OR IGNORE INTO exercise_review_open VALUES (?,?,?)", values
            ).rowcount
    return added
