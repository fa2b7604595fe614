"""Provides the item analysis of self-study data: many learners' ``grader progress export``
files (``grader analyze EXPORTS…``).

Each file is one learner; each question they answered is an item they saw, scored by their
first try (what the stats and FSRS count), so each item is analysed over its own N. A
parametrised question is one item over every learner, whatever numbers each got; it has no
option table (each learner's options were different numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grader.exam.analysis import ExamStats, ItemStats, analyse
from grader.exam.student_file import read_document
from grader.study.content import Catalog

__all__ = ["analyse_exports"]


def _read(path: Path) -> dict[str, Any]:
    return read_document(
        path, "torch-grader-progress", "the export", "a progress export", "grader progress export"
    )


def analyse_exports(
    paths: list[Path],
    catalog: Catalog | None = None,
    parametrised: Mapping[str, str] | None = None,
) -> tuple[ExamStats, list[ItemStats]]:
    """Item statistics over the learners of ``paths`` (option tables need ``catalog``;
    ``parametrised`` maps the ids of the parametrised questions to their types)."""
    parametrised = parametrised or {}
    from grader.exam.grade import choice_info

    matrix: dict[str, dict[str, float]] = {}
    picks: dict[str, dict[str, Any]] = {}
    for number, path in enumerate(paths):
        learner = f"{number + 1}:{path.name}"
        first: dict[str, tuple[str, Any]] = {}
        rows = matrix.setdefault(learner, {})
        for answer in sorted(
            _read(path).get("answers", []), key=lambda a: str(a.get("answered_at"))
        ):
            qid = answer.get("question_id")
            if not isinstance(qid, str) or qid in rows:
                continue
            rows[qid] = float(answer.get("score") or 0.0)
            first[qid] = (str(answer.get("answered_at")), answer.get("response"))
        picks[learner] = {
            q: r for q, (_, r) in first.items() if isinstance(r, int) and q not in parametrised
        }
    info: dict[str, tuple[list[str], list[int]]] = {}
    answered = {q for r in matrix.values() for q in r}
    types: dict[str, str] = {q: t for q, t in parametrised.items() if q in answered}
    if catalog is not None:
        for qid in answered:
            question = catalog.questions.get(qid)
            if question is None or qid in parametrised:
                continue
            types[qid] = question.type
            ci = choice_info(question)
            if ci is not None:
                info[qid] = ci
    return analyse(matrix, picks=picks, choice_info=info, question_ids={}, types=types)
