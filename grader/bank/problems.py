"""A problem found in a bank or exercise file, and how it is printed.

Every problem prints as ``path:line: id: message``. ``id`` is the question's (or exercise's) id,
``-`` when the problem is about the file as a whole. ``line`` is only ever a line the YAML parser
(or Python's parser, for check files) named: when it is unknown the line is left out
(``path: id: message``); a made-up number is worse than no number.
"""

from __future__ import annotations

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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.id or '-'}: {self.message}"

    def at(self, path: str) -> Problem:
        """The same problem reported for another path (cached problems are path-free)."""
        return Problem(path, self.line, self.id, self.message)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems grouped by file (in first-seen order), then by line; the order is stable."""
    order: dict[str, int] = {}
    items = list(problems)
    for p in items:
        order.setdefault(p.path, len(order))
    return sorted(items, key=lambda p: (order[p.path], p.line or 0))
