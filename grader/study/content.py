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
from pathlib import Path
from typing import Any

from grader.bank.answers import check_answer
from grader.bank.model import Bank, QuestionBase
from grader.course import Course
from grader.errors import BankError

__all__ = ["Catalog", "check", "content_hash", "load_catalog"]

_NOT_CONTENT = frozenset({"tags", "difficulty", "source", "hint", "explanation"})
"""Fields whose change does not make a question a different question (history stays current)."""


def content_hash(question: QuestionBase) -> str:
    """A short hash of what the learner is asked and what counts as right.

    Editing the prompt, options, answer, code or reference changes it; editing tags, difficulty,
    the hint or the explanation does not.
    """
    data = question.model_dump(mode="json", exclude=set(_NOT_CONTENT))
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def check(question: QuestionBase, response: Any) -> float:
    """The credit in [0, 1] the bank engine gives ``response`` (see ``grader.bank.answers``)."""
    return check_answer(question, response).value


@dataclass(frozen=True)
class Catalog:
    """The questions of a course, by bank."""

    course: Course | None
    """The course they come from (None for a catalog built in memory)."""
    banks: tuple[Bank, ...]
    """Every bank, sorted by id."""
    _bank_of: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, banks: Iterable[Bank], course: Course | None = None) -> Catalog:
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
        return cls(course=course, banks=ordered, _bank_of=bank_of)

    @cached_property
    def questions(self) -> dict[str, QuestionBase]:
        """Every question by id, in bank order."""
        return {q.id: q for bank in self.banks for q in bank.questions}

    @cached_property
    def hashes(self) -> dict[str, str]:
        """The content hash of every question by id."""
        return {qid: content_hash(q) for qid, q in self.questions.items()}

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

    def select(self, banks: Iterable[str] = (), tags: Iterable[str] = ()) -> list[QuestionBase]:
        """Questions in any of ``banks`` (all when empty) having any of ``tags`` (any when empty)."""
        bank_set, tag_set = set(banks), set(tags)
        return [
            q
            for bank in self.banks
            if not bank_set or bank.bank in bank_set
            for q in bank.questions
            if not tag_set or tag_set.intersection(q.tags)
        ]


def load_catalog(course: Course) -> Catalog:
    """Load every bank of a course's ``questions/`` folder.

    Raises:
        BankError: a bank does not load; the message lists every problem as ``path:line: id: msg``
            and suggests ``grader validate``.
    """
    folder = course.questions
    if not folder.is_dir():
        raise BankError(f"{folder}: no questions/ folder in this course")
    banks: list[Bank] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        bank, errors = _load_bank(path)
        if bank is not None:
            banks.append(bank)
        problems.extend(errors)
    if problems:
        listing = "\n".join(problems)
        raise BankError(f"the question banks have problems (run `grader validate`):\n{listing}")
    return Catalog.of(banks, course)


def _load_bank(path: Path) -> tuple[Bank | None, list[str]]:
    """One bank file, or the problems that stop it from loading."""
    from pydantic import ValidationError

    from grader.bank.source import decode, parse

    text, issue = decode(path.read_bytes())
    if text is None:
        return None, [f"{path}: {issue.message if issue else 'cannot be read'}"]
    doc, issues = parse(text)
    if issues:
        return None, [f"{path}:{i.line}: -: {i.message}" for i in issues]
    if doc is None or not isinstance(doc.data, dict) or "questions" not in doc.data:
        return None, []  # not a question bank (e.g. the seed index)
    try:
        return Bank.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [f"{path}: -: {err['loc']}: {err['msg']}" for err in exc.errors()]
