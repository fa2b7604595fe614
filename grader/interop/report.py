"""What an import or an export did, for people (text) and for scripts (JSON), and its exit code.

An import report lists the questions skipped (with their name and place in the file, and why),
the texts that lack a translation, the ids that had to change, what the conversion could not
keep, and the problems ``grader validate`` will report in the written file. An export report
lists every grade Moodle's list forced to round, every question skipped and what the format
loses. Exit status: 0 when everything came through (an export's notes and roundings, and an
import's lint problems, are reported but do not change it), 1 when a question was skipped or
(import) a text lacks a translation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from grader.errors import ExitCode

__all__ = ["ExportReport", "ImportReport", "Line"]


@dataclass(frozen=True)
class Line:
    """One item of a report: where it is (``path:line`` and the question) and what."""

    where: str
    """``path:line`` in the source file (import) or the question id (export)."""
    what: str
    question: str = ""
    """The question's id (import) or name, when there is one."""

    def __str__(self) -> str:
        who = f"{self.question}: " if self.question else ""
        return f"{self.where}: {who}{self.what}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class ImportReport:
    """The outcome of ``grader import``."""

    out: str
    bank: str
    sources: list[str] = field(default_factory=list)
    written: int = 0
    """Questions written to ``out``."""
    skipped: list[Line] = field(default_factory=list)
    missing: list[Line] = field(default_factory=list)
    """Texts without one of the two languages."""
    ids: list[Line] = field(default_factory=list)
    """Ids that differ from what their question asked for (collisions)."""
    notes: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """``grader validate``'s other problems in the written file (typography, ...)."""
    replaced: list[str] = field(default_factory=list)
    """Ids of the replaced file that the import no longer has (their history is kept)."""
    registered: int = 0
    """Ids added to the folder's ``ids.txt``."""

    @property
    def exit_code(self) -> ExitCode:
        """1 when a question was skipped or a text lacks a translation, else 0 (other problems
        of the written file, a typography lint's say, are reported but do not change it)."""
        return ExitCode.FAILED if self.skipped or self.missing else ExitCode.OK

    def summary(self) -> str:
        parts = [f"imported {_plural(self.written, 'question')} into {self.out}"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.missing:
            parts.append(f"{_plural(len(self.missing), 'missing translation')}")
        if self.problems:
            parts.append(f"{_plural(len(self.problems), 'other problem')}")
        return "; ".join(parts)

    def render(self) -> str:
        """The report as text: one section per kind of item, each item on its own line."""
        sections = [
            ("Skipped (no matching question type here)", self.skipped),
            (
                "Missing translations (imported as they are; `grader validate` lists them "
                "until they are written)",
                self.missing,
            ),
            ("Ids changed to avoid a collision", self.ids),
            ("Converted with changes", self.notes),
        ]
        out: list[str] = []
        for title, lines in sections:
            if lines:
                out.append(f"{title}:")
                out += [f"  {line}" for line in lines]
        if self.problems:
            out.append("Other problems `grader validate` reports in the written file:")
            out += [f"  {p}" for p in self.problems]
        if self.replaced:
            out.append(
                f"Questions of the replaced {self.out} not in this import (their ids stay "
                f"registered and their history is kept): {', '.join(self.replaced)}"
            )
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["exit_code"] = int(self.exit_code)
        for key in ("skipped", "missing", "ids", "notes"):
            data[key] = [asdict(line) for line in getattr(self, key)]
        return data


@dataclass
class ExportReport:
    """The outcome of ``grader export``."""

    out: str
    format: str
    lang: str
    exported: int = 0
    banks: list[str] = field(default_factory=list)
    roundings: list[Line] = field(default_factory=list)
    """Credits Moodle's grade list forced to round: ``50 % -> 50 %``."""
    skipped: list[Line] = field(default_factory=list)
    losses: list[Line] = field(default_factory=list)
    """What the format cannot carry, question by question."""

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.skipped else ExitCode.OK

    def summary(self) -> str:
        parts = [
            f"exported {_plural(self.exported, 'question')} of {_plural(len(self.banks), 'bank')} "
            f"to {self.out} ({self.format}, {self.lang})"
        ]
        if self.roundings:
            parts.append(_plural(len(self.roundings), "rounded grade"))
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return "; ".join(parts)

    def render(self) -> str:
        out: list[str] = []
        for title, lines in (
            ("Grades rounded to Moodle's list", self.roundings),
            ("Skipped", self.skipped),
            (f"Not carried by {self.format}", self.losses),
        ):
            if lines:
                out.append(f"{title}:")
                out += [f"  {line}" for line in lines]
        return "\n".join(out)
