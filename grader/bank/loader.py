"""Loading question banks: files or folders in, validated banks and every problem out.

    result = load_banks([course.questions])
    for problem in result.problems:
        print(problem)                       # questions/autograd.yaml:42: autograd-x: ...
    question = result.find("autograd-grad-storage")

A folder means every ``*.yaml`` / ``*.yml`` file directly in it (sorted), except
``seed_sections.yaml`` and hidden files. Each file is checked on its own (``bankfile``) and the
report is cached by content hash (``cache``); then ids are checked across files. Only questions
without any problem are in ``LoadResult.banks``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from grader.bank import cache as _cache
from grader.bank.bankfile import QUESTION_ADAPTER, FileReport, QuestionInfo, check_bank_bytes
from grader.bank.model import Bank, QuestionBase
from grader.bank.problems import Problem, sort_problems
from grader.bank.source import gc_paused
from grader.errors import BankError, UsageError
from grader.i18n import Text

__all__ = [
    "BANK_SUFFIXES",
    "LoadResult",
    "LoadedBank",
    "NOT_BANKS",
    "QuestionInfo",
    "all_questions",
    "bank_files",
    "find_question",
    "iter_questions",
    "link_reports",
    "load_bank_file",
    "load_banks",
    "load_banks_or_raise",
]

BANK_SUFFIXES = (".yaml", ".yml")
NOT_BANKS = frozenset({"seed_sections.yaml", "seed_sections.yml"})
"""YAML files in a questions folder that are not banks."""


class LoadedBank:
    """One bank file, validated: the bank (only its valid questions), its path and lines.

    ``LoadedBank(bank, path, lines)`` wraps a validated ``Bank``. Loaded from the cache, a bank
    keeps its questions as plain data (``data=``) and builds the pydantic models the first time
    ``bank`` (or ``questions``) is read; ``info``, ``title`` and ``question(id)`` never build them
    all.
    """

    def __init__(
        self,
        bank: Bank | None = None,
        path: str | os.PathLike[str] = "<bank>",
        lines: Mapping[str, int] | None = None,
        *,
        data: dict[str, Any] | None = None,
        info: Sequence[QuestionInfo] | None = None,
    ) -> None:
        if (bank is None) == (data is None):
            raise TypeError("LoadedBank needs exactly one of bank= or data=")
        self.path = Path(path)
        """The file, as named by the caller (relative paths stay relative)."""
        self.lines: Mapping[str, int] = dict(lines or {})
        """Line of each question in the file, by question id."""
        self._data = data
        if bank is not None:
            self.__dict__["bank"] = bank
            self.id: str = bank.bank
            """The bank id (``bank:``)."""
        else:
            assert data is not None
            self.id = str(data["bank"])
        if info is None:
            info = [
                QuestionInfo(q.id, q.type, q.difficulty, q.tags, q.source) for q in self.questions
            ]
        self.info: tuple[QuestionInfo, ...] = tuple(info)
        """Id, type, difficulty, tags and source of each question, in file order."""
        self._index = {item.id: n for n, item in enumerate(self.info)}

    def __contains__(self, question_id: object) -> bool:
        """Whether this bank has a (valid) question with this id."""
        return question_id in self._index

    def __repr__(self) -> str:
        return f"LoadedBank(id={self.id!r}, path={str(self.path)!r}, questions={len(self.info)})"

    @cached_property
    def bank(self) -> Bank:
        """The pydantic ``Bank`` with this file's valid questions."""
        with gc_paused():
            return Bank.model_validate(self._data)

    @property
    def questions(self) -> tuple[QuestionBase, ...]:
        """The valid questions, in file order."""
        return self.bank.questions

    @property
    def built(self) -> bool:
        """Whether the question models exist (always, unless loaded from the cache)."""
        return "bank" in self.__dict__

    @property
    def title(self) -> Text:
        """The bank's title (without building the questions)."""
        if self.built or self._data is None:
            return self.bank.title
        return Text.from_dict(self._data["title"])  # the cached dump of a validated bank

    def question(self, question_id: str) -> QuestionBase | None:
        """One question by id; from the cache, only that question's model is built."""
        index = self._index.get(question_id)
        if index is None:
            return None
        if self.built or self._data is None:
            return self.bank.questions[index]
        question: QuestionBase = QUESTION_ADAPTER.validate_python(self._data["questions"][index])
        return question

    def location(self, question_id: str) -> str:
        """``path:line`` of a question (``path`` alone if the id is not in this bank)."""
        line = self.lines.get(question_id)
        return f"{self.path}:{line}" if line is not None else str(self.path)


@dataclass(frozen=True)
class LoadResult:
    """Every bank that loaded and every problem found, in one run."""

    banks: list[LoadedBank] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """How many bank files were read."""

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def questions(self) -> list[QuestionBase]:
        """Every valid question, bank by bank, in file order."""
        return all_questions(self.banks)

    def find(self, question_id: str) -> QuestionBase | None:
        """The question with this id, or None."""
        return find_question(self.banks, question_id)

    def bank_of(self, question_id: str) -> LoadedBank | None:
        """The bank holding this question id, or None."""
        for loaded in self.banks:
            if question_id in loaded:
                return loaded
        return None

    def raise_for_problems(self) -> LoadResult:
        """Raise ``BankError`` listing every problem (one per line); else return self."""
        if self.problems:
            listing = "\n".join(str(p) for p in self.problems)
            count = len(self.problems)
            raise BankError(
                f"{count} problem{'s' if count != 1 else ''} in the question banks "
                f"(run `grader validate`):\n{listing}"
            )
        return self


def bank_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The bank files named by ``paths`` (files as given; folders expanded), without repeats.

    Raises ``UsageError`` for a path that does not exist.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            children = sorted(
                child
                for child in path.iterdir()
                if child.suffix in BANK_SUFFIXES
                and child.name not in NOT_BANKS
                and not child.name.startswith(".")
                and child.is_file()
            )
        elif path.exists():
            children = [path]
        else:
            raise UsageError(f"{path}: no such file or folder")
        for child in children:
            key = child.resolve()
            if key not in seen:
                seen.add(key)
                found.append(child)
    return found


def load_bank_file(path: Path, *, cache: bool = True) -> FileReport:
    """Check one bank file, or take its report from the cache when its content was seen before.

    A report from the cache holds the bank as plain data (``FileReport.data``).
    """
    display = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        return FileReport(bank=None, problems=[Problem(display, 1, None, message)])
    digest = hashlib.sha256(raw).hexdigest() if cache else ""
    if cache:
        hit = _cache.load(digest)
        if hit is not None:
            return hit.with_path(display) if hit.problems else hit
    report = check_bank_bytes(raw, display)
    if cache:
        _cache.store(digest, report.for_cache())
    return report


def load_banks(paths: Iterable[str | os.PathLike[str]], *, cache: bool = True) -> LoadResult:
    """Load and validate the banks named by ``paths`` (files or folders).

    Never raises for a bad bank: every problem is in ``LoadResult.problems`` and the banks hold
    only the questions without problems. Raises ``UsageError`` for a path that does not exist.
    """
    files = bank_files(paths)
    with gc_paused():
        reports = [(path, load_bank_file(path, cache=cache)) for path in files]
        return link_reports(reports)


def link_reports(reports: Sequence[tuple[Path, FileReport]]) -> LoadResult:
    """Combine per-file reports: check ids across files and build the ``LoadResult``."""
    problems: list[Problem] = []
    for _, report in reports:
        problems.extend(report.problems)
    banks = _cross_file(reports, problems)
    return LoadResult(banks=banks, problems=sort_problems(problems), files=len(reports))


def _cross_file(
    reports: Sequence[tuple[Path, FileReport]], problems: list[Problem]
) -> list[LoadedBank]:
    """Duplicate question ids and bank ids across files; a later duplicate is left out.

    (Repeats within one file are found by ``check_bank_bytes``.)
    """
    first_id: dict[str, str] = {}
    first_bank: dict[str, str] = {}
    banks: list[LoadedBank] = []
    for path, report in reports:
        dropped: set[str] = set()
        for qid, line in report.ids:
            if qid in first_id:
                message = f"duplicate id '{qid}' (first defined at {first_id[qid]})"
                problems.append(Problem(str(path), line, qid, message))
                dropped.add(qid)
            else:
                first_id[qid] = f"{path}:{line}"
        source: Bank | dict[str, Any] | None = (
            report.bank if report.bank is not None else report.data
        )
        if source is None:
            continue
        bank_id = source.bank if isinstance(source, Bank) else str(source["bank"])
        if bank_id in first_bank:
            message = f"duplicate bank id '{bank_id}' (first defined at {first_bank[bank_id]})"
            problems.append(Problem(str(path), report.bank_line, None, message))
        else:
            line_part = f":{report.bank_line}" if report.bank_line is not None else ""
            first_bank[bank_id] = f"{path}{line_part}"
        lines: Mapping[str, int] = report.lines
        info = tuple(report.info)
        if dropped & lines.keys():
            info = tuple(i for i in info if i.id not in dropped)
            lines = {i.id: report.lines[i.id] for i in info}
            if isinstance(source, Bank):
                kept = tuple(q for q in source.questions if q.id not in dropped)
                source = source.model_copy(update={"questions": kept})
            else:
                questions = [q for q in source.get("questions", ()) if q["id"] not in dropped]
                source = {**source, "questions": questions}
        if isinstance(source, Bank):
            banks.append(LoadedBank(source, path, lines, info=info))
        else:
            banks.append(LoadedBank(path=path, lines=lines, data=source, info=info))
    return banks


def load_banks_or_raise(
    paths: Iterable[str | os.PathLike[str]], *, cache: bool = True
) -> LoadResult:
    """Like ``load_banks``, but raise ``BankError`` (listing every problem) if there is any."""
    return load_banks(paths, cache=cache).raise_for_problems()


def all_questions(banks: Iterable[LoadedBank]) -> list[QuestionBase]:
    """Every question of ``banks``, bank by bank, in file order."""
    return [q for loaded in banks for q in loaded.questions]


def iter_questions(banks: Iterable[LoadedBank]) -> Iterator[tuple[LoadedBank, QuestionBase]]:
    """``(bank, question)`` pairs, in file order."""
    for loaded in banks:
        for q in loaded.questions:
            yield loaded, q


def find_question(banks: Iterable[LoadedBank], question_id: str) -> QuestionBase | None:
    """The question with this id, or None (builds no other question's model)."""
    for loaded in banks:
        if question_id in loaded:
            return loaded.question(question_id)
    return None
