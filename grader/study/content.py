"""Provides the study layer's one door to the bank engine: loading a course's questions, checking
an answer, and a content hash per question.

Everything the quiz needs from ``grader.bank`` goes through this module, so a change in the bank
engine's API is a change here only. No answer checking happens here: :func:`check` calls
``grader.bank.answers.check_answer``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from grader.bank.answers import after_wrong_tries, check_answer
from grader.bank.model import Bank, QuestionBase
from grader.course import Course
from grader.errors import BankError

__all__ = ["Catalog", "check", "content_hash", "load_catalog", "penalised"]

_NOT_CONTENT = frozenset(
    {"tags", "difficulty", "source", "hint", "hints", "explanation", "points", "penalty", "verify"}
)
"""Fields whose change does not make a question a different question (history stays current)."""
_ABSENT_WHEN_DEFAULT = {"credit": None}
"""Content fields added after hashes were first stored: left out while at their default, so the
hash of every question written without them stays what it was."""


def content_hash(question: QuestionBase) -> str:
    """A short hash of what the learner is asked and what counts as right.

    Editing the prompt, options, answer, code, reference or credit changes it; editing tags,
    difficulty, the hints, the explanation, the verify blocks, the points or the penalty does
    not.
    """
    data = question.model_dump(mode="json", exclude=set(_NOT_CONTENT))
    for key, default in _ABSENT_WHEN_DEFAULT.items():
        if key in data and data[key] == default:
            del data[key]
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def check(question: QuestionBase, response: Any) -> float:
    """The credit in [0, 1] the bank engine gives ``response`` (see ``grader.bank.answers``)."""
    return check_answer(question, response).value


def penalised(question: QuestionBase, credit: float, wrong_tries: int) -> float:
    """``credit`` less the question's ``penalty`` for each of ``wrong_tries`` earlier tries that
    missed full credit (``grader.bank.answers.after_wrong_tries``)."""
    return after_wrong_tries(credit, question.penalty, wrong_tries)


@dataclass(frozen=True)
class Catalog:
    """The questions of a course, by bank."""

    course: Course | None
    """The course they come from (None for a catalog built in memory)."""
    banks: tuple[Bank, ...]
    """Every bank, sorted by id."""
    problems: tuple[str, ...] = ()
    """Problems of the banks (``path:line: id: message``); their questions are left out."""
    _bank_of: dict[str, str] = field(default_factory=dict, repr=False)
    fixed_hashes: dict[str, str] = field(default_factory=dict, repr=False)
    """Content hashes given instead of computed: those already known (the catalog cache's), and
    a parametrised question's template hash, which stands for its instance, different every
    attempt (``grader.study.instances``)."""

    @classmethod
    def of(
        cls,
        banks: Iterable[Bank],
        course: Course | None = None,
        problems: tuple[str, ...] = (),
        fixed_hashes: dict[str, str] | None = None,
    ) -> Catalog:
        """A catalog of ``banks`` (ids must be unique across them)."""
        ordered = tuple(sorted(banks, key=lambda b: b.bank))
        bank_of: dict[str, str] = {}
        for bank in ordered:
            for question in bank.questions:
                if question.id in bank_of:
                    raise BankError(
                        f"question id {question.id!r} is in banks {bank_of[question.id]!r} "
                        f"and {bank.bank!r}; ids must be unique across a course"
                    )
                bank_of[question.id] = bank.bank
        return cls(
            course=course,
            banks=ordered,
            problems=problems,
            _bank_of=bank_of,
            fixed_hashes=dict(fixed_hashes or {}),
        )

    @cached_property
    def questions(self) -> dict[str, QuestionBase]:
        """Every question by id, in bank order."""
        return {q.id: q for bank in self.banks for q in bank.questions}

    @cached_property
    def hashes(self) -> dict[str, str]:
        """The content hash of every question by id."""
        fixed = self.fixed_hashes
        return {qid: fixed.get(qid) or content_hash(q) for qid, q in self.questions.items()}

    def bank(self, bank_id: str) -> Bank:
        """The bank with id ``bank_id`` (KeyError when absent)."""
        for bank in self.banks:
            if bank.bank == bank_id:
                return bank
        raise KeyError(bank_id)

    def bank_of(self, question_id: str) -> str:
        """The id of the bank holding a question."""
        return self._bank_of[question_id]

    @property
    def bank_ids(self) -> list[str]:
        """Bank ids, sorted."""
        return [b.bank for b in self.banks]

    @cached_property
    def tags(self) -> list[str]:
        """Every tag used by a question, sorted."""
        return sorted({t for q in self.questions.values() for t in q.tags})

    def select(
        self, banks: Iterable[str] = (), tags: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> list[QuestionBase]:
        """Questions in any of ``banks`` having any of ``tags`` whose id is one of ``ids``
        (an empty filter lets everything through)."""
        bank_set, tag_set, id_set = set(banks), set(tags), set(ids)
        return [
            q
            for bank in self.banks
            if not bank_set or bank.bank in bank_set
            for q in bank.questions
            if (not tag_set or tag_set.intersection(q.tags)) and (not id_set or q.id in id_set)
        ]


def load_catalog(course: Course) -> Catalog:
    """Load every bank of a course's ``questions/`` folder (through the bank engine's cache).

    Questions with problems are left out and the problems listed in ``Catalog.problems`` (a
    learner can still study the rest; ``grader validate`` shows them to the author).

    Raises:
        BankError: the course has no questions/ folder, or no question loads at all.
    """
    from grader.study import catalog_cache

    folder = course.questions
    if not folder.is_dir():
        raise BankError(f"{folder}: no questions/ folder in this course")
    key = catalog_cache.catalog_key(folder)
    cached = catalog_cache.load(folder, key)
    if cached is not None:  # the models as last built: no YAML, no validation (a fast start)
        banks, problems, hashes = cached
        catalog = Catalog.of(banks, course, problems)
        catalog.__dict__["hashes"] = hashes  # the cached_property, filled in
        return catalog
    from grader.bank.loader import load_banks

    result = load_banks([folder])
    problems = tuple(str(p) for p in result.problems)
    catalog = Catalog.of([loaded.bank for loaded in result.banks], course, problems)
    if not catalog.questions:
        listing = "".join(f"\n{p}" for p in problems)
        raise BankError(f"{folder}: no question could be loaded{listing}")
    catalog_cache.store(folder, key, (catalog.banks, problems, catalog.hashes))
    return catalog
