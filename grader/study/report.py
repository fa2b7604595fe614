"""Provides the exam report: the score, a per-topic breakdown and every answer that lost credit.

Each question counts with its ``points`` (1 unless the bank says otherwise): an answer adds its
credit x points to the score, and percentages are of the points, so a bank that gives no points
gets the same report as before points existed."""

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
    """Sum of credit x points."""
    points: float
    """Sum of the questions' points (the most ``score`` can be)."""

    @property
    def percent(self) -> float:
        """The score as a percentage of the points."""
        return 100.0 * self.score / self.points if self.points else 0.0


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
    """Sum of credit x points (partial credit counts)."""
    by_bank: tuple[TopicScore, ...]
    by_tag: tuple[TopicScore, ...]
    misses: tuple[Miss, ...]
    elapsed_s: float
    timed_out: bool
    points: float
    """Sum of the questions' points (the most ``score`` can be)."""

    @property
    def percent(self) -> float:
        """The score as a percentage of the points."""
        return 100.0 * self.score / self.points if self.points else 0.0


def build_report(
    catalog: Catalog, items: Sequence[Item], elapsed_s: float, timed_out: bool
) -> ExamReport:
    """The report of graded ``items``: each counts with its first try's credit x its points (an
    item never graded counts as 0)."""
    banks: dict[str, list[tuple[float, float]]] = {}
    tags: dict[str, list[tuple[float, float]]] = {}
    answered_in: dict[str, int] = {}
    misses = []
    total = 0.0
    most = 0.0
    answered = 0
    for index, item in enumerate(items):
        question = catalog.questions[item.question_id]
        score = item.first_score if item.first_score is not None else (item.score or 0.0)
        given = item.response is not None
        total += score * question.points
        most += question.points
        answered += given
        keys = [("bank", catalog.bank_of(question.id))] + [("tag", t) for t in question.tags]
        for kind, key in keys:
            group = banks if kind == "bank" else tags
            group.setdefault(key, []).append((score * question.points, question.points))
            answered_in[f"{kind}:{key}"] = answered_in.get(f"{kind}:{key}", 0) + given
        if score < 1.0:
            misses.append(Miss(index, item.question_id, item.response, score))

    def topics(groups: dict[str, list[tuple[float, float]]], kind: str) -> tuple[TopicScore, ...]:
        return tuple(
            TopicScore(
                key,
                len(scores),
                answered_in[f"{kind}:{key}"],
                sum(earned for earned, _ in scores),
                sum(points for _, points in scores),
            )
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
        points=most,
    )
