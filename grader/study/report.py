"""Provides the exam report: the score, a per-topic breakdown and every answer that lost credit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.study.content import Catalog
    from grader.study.session import Item

__all__ = ["ExamReport", "Miss", "TopicScore", "build_report"]


@dataclass(frozen=True)
class TopicScore:
    """Credit earned on the questions of one bank or tag."""

    key: str
    """The bank id or tag."""
    questions: int
    answered: int
    score: float
    """Sum of credits."""

    @property
    def percent(self) -> float:
        """Credit as a percentage of the questions."""
        return 100.0 * self.score / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Miss:
    """A question that did not get full credit."""

    index: int
    """Position in the exam (0-based)."""
    question_id: str
    response: Any
    """The learner's response (None when unanswered)."""
    score: float


@dataclass(frozen=True)
class ExamReport:
    """The graded outcome of an exam."""

    questions: int
    answered: int
    score: float
    """Sum of credits (partial credit counts)."""
    by_bank: tuple[TopicScore, ...]
    by_tag: tuple[TopicScore, ...]
    misses: tuple[Miss, ...]
    elapsed_s: float
    timed_out: bool

    @property
    def percent(self) -> float:
        """The score as a percentage of the questions."""
        return 100.0 * self.score / self.questions if self.questions else 0.0


def build_report(
    catalog: Catalog, items: Sequence[Item], elapsed_s: float, timed_out: bool
) -> ExamReport:
    """The report of graded ``items``: each counts with its first try's credit (an item never
    graded counts as 0)."""
    banks: dict[str, list[float]] = {}
    tags: dict[str, list[float]] = {}
    answered_in: dict[str, int] = {}
    misses = []
    total = 0.0
    answered = 0
    for index, item in enumerate(items):
        question = catalog.questions[item.question_id]
        score = item.first_score if item.first_score is not None else (item.score or 0.0)
        given = item.response is not None
        total += score
        answered += given
        keys = [("bank", catalog.bank_of(question.id))] + [("tag", t) for t in question.tags]
        for kind, key in keys:
            (banks if kind == "bank" else tags).setdefault(key, []).append(score)
            answered_in[f"{kind}:{key}"] = answered_in.get(f"{kind}:{key}", 0) + given
        if score < 1.0:
            misses.append(Miss(index, item.question_id, item.response, score))

    def topics(groups: dict[str, list[float]], kind: str) -> tuple[TopicScore, ...]:
        return tuple(
            TopicScore(key, len(scores), answered_in[f"{kind}:{key}"], sum(scores))
            for key, scores in sorted(groups.items())
        )

    return ExamReport(
        questions=len(items),
        answered=answered,
        score=total,
        by_bank=topics(banks, "bank"),
        by_tag=topics(tags, "tag"),
        misses=tuple(misses),
        elapsed_s=elapsed_s,
        timed_out=timed_out,
    )
