"""A problem found in a bank or exercise file, and how it is printed.

Every problem prints as ``path:line: id: message``. ``id`` is the question's (or exercise's) id,
``-`` when the problem is about the file as a whole. ``line`` is a line the YAML parser (or
Python's parser, for check files) named, or line 1 for a problem with a bank file as a whole
(empty, unreadable, not UTF-8 at all); it is left out (``path: id: message``) only where no line
fits, e.g. for a folder or a missing file. A syntax error also has a ``column`` and the line as
written (``excerpt``): ``render()`` prints them below, compiler style::

    questions/autograd.yaml:14: autograd-x: YAML syntax error: the quote " opened here is ...
       14 |     answer: "false
          |             ^
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Problem", "sort_problems"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank, exercise or registry file."""

    path: str
    """The file, as the user named it (relative paths stay relative)."""
    line: int | None
    """1-based line of the offending value (or of the question as a whole); None when unknown."""
    id: str | None
    """The question or exercise id; None for a problem with the file as a whole."""
    message: str
    """What is wrong, and where possible how to fix it."""
    column: int | None = None
    """1-based column of the place to edit (syntax errors); None when the line is enough."""
    excerpt: str | None = None
    """The offending line as written, shown under the problem with a caret at ``column``."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.id or '-'}: {self.message}"

    def render(self) -> str:
        """``str(self)``, then the line as written and a ``^`` under the column, if known."""
        head = str(self)
        if self.excerpt is None or self.line is None or self.column is None:
            return head
        caret = blank_like(self.excerpt[: self.column - 1]) + "^"
        width = max(5, len(str(self.line)))
        return f"{head}\n{self.line:>{width}} | {self.excerpt}\n{'':>{width}} | {caret}"


def blank_like(text: str) -> str:
    """Whitespace as wide on a terminal as ``text``: tabs kept, CJK counted twice."""
    out = []
    for char in text:
        if char == "\t":
            out.append("\t")
        elif unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            out.append("  ")
        else:
            out.append(" ")
    return "".join(out)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems grouped by file (in first-seen order), then by line; the order is stable."""
    order: dict[str, int] = {}
    items = list(problems)
    for p in items:
        order.setdefault(p.path, len(order))
    return sorted(items, key=lambda p: (order[p.path], p.line or 0))
