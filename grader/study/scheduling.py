"""Provides spaced-repetition scheduling with FSRS (the ``fsrs`` package).

Rating rule (how an answer becomes an FSRS rating), applied to the credit in [0, 1] that the bank
engine's ``check_answer`` gives:

======================  ==========  ==============================================
credit                  rating      examples
======================  ==========  ==============================================
1.0 (fully right)       Good        a right option, an accepted fill-in answer
0.5 <= credit < 1.0     Hard        partial credit; a ``short`` self-rated "partly"
below 0.5               Again       a wrong answer; a ``short`` self-rated "not yet"
======================  ==========  ==============================================

``short`` questions are self-rated: "fully" gives credit 1 (Good), "partly" 0.5 (Hard) and
"not yet" 0 (Again). ``Easy`` is never given automatically.

Which modes update the schedule: **review** and **practice**, with the first try at a question
in a session (retries after seeing the explanation do not count). **Exam** answers are
stored and counted in the stats but leave the schedule alone: an exam measures, it does not
drive review.

Mastery: a question is *mastered* when its card is in the Review state with a stability of at
least :data:`MASTERY_STABILITY_DAYS` days (FSRS expects 90 % recall three weeks later).

Content changes: when a question's content hash differs from the one its history was made with,
that history is kept but marked ``outdated`` and the card starts afresh (see
:meth:`ReviewScheduler.sync_content`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler, State

from grader.study.clock import Clock
from grader.study.store import ProgressStore, ReviewRecord, StoredCard

__all__ = [
    "MASTERY_STABILITY_DAYS",
    "Mastery",
    "ReviewScheduler",
    "card_id_for",
    "rating_for",
]

MASTERY_STABILITY_DAYS = 21.0
"""Stability (days) from which a card in the Review state counts as mastered."""


def rating_for(score: float) -> Rating:
    """The FSRS rating for a credit in [0, 1] (see the module docstring)."""
    if score >= 1.0:
        return Rating.Good
    if score >= 0.5:
        return Rating.Hard
    return Rating.Again


def card_id_for(question_id: str) -> int:
    """A stable FSRS card id for a question id (FSRS's default id is the creation time)."""
    return int.from_bytes(hashlib.sha256(question_id.encode()).digest()[:6], "big")


@dataclass(frozen=True)
class Mastery:
    """How far a set of questions is learned."""

    total: int
    """Questions in the set."""
    mastered: int
    """Cards in the Review state with stability >= MASTERY_STABILITY_DAYS."""
    due: int
    """Cards seen before whose review is due now."""
    new: int
    """Questions never reviewed."""


class ReviewScheduler:
    """FSRS scheduling of a course's questions, stored in a :class:`ProgressStore`.

    Args:
        store: Where cards and review logs are kept.
        clock: The time source (inject a FakeClock in tests).
        desired_retention: FSRS's target probability of recall.
        enable_fuzzing: FSRS interval fuzzing; turn off for reproducible intervals.
    """

    def __init__(
        self,
        store: ProgressStore,
        clock: Clock,
        *,
        desired_retention: float = 0.9,
        enable_fuzzing: bool = True,
    ) -> None:
        self.store = store
        self.clock = clock
        self.fsrs = Scheduler(desired_retention=desired_retention, enable_fuzzing=enable_fuzzing)

    def card(self, question_id: str) -> Card:
        """The question's card: the stored one, or a new one due now."""
        stored = self.store.card(question_id)
        if stored is not None:
            return Card.from_dict(stored.card)  # type: ignore[arg-type]
        return Card(card_id=card_id_for(question_id), due=self.clock.now())

    def review(self, question_id: str, score: float, content_hash: str) -> Card:
        """Rate an answer with credit ``score`` and store the updated card and its log."""
        now = self.clock.now()
        rating = rating_for(score)
        card, log = self.fsrs.review_card(self.card(question_id), rating, review_datetime=now)
        self.store.save_review(
            StoredCard(question_id, dict(card.to_dict()), content_hash, now),
            ReviewRecord(
                uid=uuid.uuid4().hex,
                question_id=question_id,
                rating=int(rating),
                score=score,
                reviewed_at=now,
                content_hash=content_hash,
                log=dict(log.to_dict()),
            ),
        )
        return card

    def due(self, question_ids: Iterable[str]) -> list[str]:
        """Questions seen before whose review is due now, the most overdue first."""
        now = self.clock.now()
        cards = self.store.cards()
        due = []
        for qid in question_ids:
            stored = cards.get(qid)
            if stored is not None:
                card = Card.from_dict(stored.card)  # type: ignore[arg-type]
                if card.due <= now:
                    due.append((card.due, qid))
        return [qid for _, qid in sorted(due)]

    def new(self, question_ids: Iterable[str]) -> list[str]:
        """Questions never reviewed, in the given order."""
        cards = self.store.cards()
        return [qid for qid in question_ids if qid not in cards]

    def queue(self, question_ids: Iterable[str], limit: int, new_limit: int) -> list[str]:
        """The review queue: due questions first, then up to ``new_limit`` new ones."""
        ids = list(question_ids)
        queue = self.due(ids)[:limit]
        room = min(limit - len(queue), new_limit)
        if room > 0:
            queue += self.new(ids)[:room]
        return queue

    @staticmethod
    def is_mastered(card: Card) -> bool:
        """True for a card in the Review state with stability >= MASTERY_STABILITY_DAYS."""
        return card.state == State.Review and (card.stability or 0.0) >= MASTERY_STABILITY_DAYS

    def mastery(self, question_ids: Iterable[str]) -> Mastery:
        """Mastered, due and new counts for a set of questions."""
        now = self.clock.now()
        cards = self.store.cards()
        total = mastered = due = new = 0
        for qid in question_ids:
            total += 1
            stored = cards.get(qid)
            if stored is None:
                new += 1
                continue
            card = Card.from_dict(stored.card)  # type: ignore[arg-type]
            mastered += self.is_mastered(card)
            due += card.due <= now
        return Mastery(total=total, mastered=mastered, due=due, new=new)

    def sync_content(self, hashes: Mapping[str, str]) -> list[str]:
        """Mark the history of every question whose content changed; returns their ids.

        ``hashes`` maps question id to its current content hash. History made with another hash
        is kept but marked outdated, and the question's card starts afresh.
        """
        changed = []
        for qid, seen in self.store.known_hashes().items():
            current = hashes.get(qid)
            if current is not None and seen - {current}:
                self.store.mark_outdated(qid, current)
                changed.append(qid)
        return sorted(changed)
