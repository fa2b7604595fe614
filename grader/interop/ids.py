"""Ids for imported questions: stable on re-import, never taken from another question.

An id comes from Moodle's ``idnumber`` when the question has one (as it is when it is already a
valid id, as our export writes it; else in kebab case with the bank prefix), else from the
question's name or GIFT title in kebab case with the bank prefix. A name that gives nothing usable
in kebab case (only Chinese characters, only punctuation) gives ``BANK-`` and a short hash of the
name (of the question text when there is no name). Nothing depends on where a question sits in
its file, so the same source gives the same ids, and a re-import keeps each question's progress.

Two questions that would get the same id both get the short hash of their own text after it
(``BANK-name-1a2b3c``); an id that another bank of the course, or the id registry, already holds
(a retired question's) is disambiguated the same way. Each such change is reported.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

__all__ = ["IdChange", "Wanted", "assign_ids", "kebab", "wanted_id"]

_VALID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
_MAX = 60
"""Longest kebab part taken from a name (ids stay readable)."""


def kebab(text: str) -> str:
    """``"Grad storage (v2)"`` -> ``grad-storage-v2``; accents dropped, other scripts too."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > _MAX:
        words = words[:_MAX].rsplit("-", 1)[0] if "-" in words[:_MAX] else words[:_MAX]
    return words.strip("-")


def _hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Wanted:
    """The id a question asks for, and from what."""

    id: str
    source: str
    """``idnumber``, ``name`` or ``hash``."""
    content: str
    """The question's own text, for a disambiguating hash."""


def _prefixed(bank: str, words: str) -> str:
    return words if words == bank or words.startswith(f"{bank}-") else f"{bank}-{words}"


def wanted_id(bank: str, idnumber: str | None, name: str, content: str) -> Wanted:
    """The id a question would get on its own (see the module docstring)."""
    number = (idnumber or "").strip()
    if number:
        if _VALID.match(number):
            return Wanted(number, "idnumber", content)
        words = kebab(number)
        if words:
            return Wanted(_prefixed(bank, words), "idnumber", content)
    words = kebab(name)
    if words:
        return Wanted(_prefixed(bank, words), "name", content)
    basis = name.strip() or content
    return Wanted(f"{bank}-{_hash(basis)}", "hash", content)


@dataclass(frozen=True)
class IdChange:
    """An id that had to differ from the one its question asked for."""

    index: int
    """The question's index in the list given to :func:`assign_ids`."""
    wanted: str
    given: str
    why: str


def assign_ids(
    wanted: Sequence[Wanted], taken: Collection[str]
) -> tuple[list[str], list[IdChange]]:
    """The final id of each question, and every change made to a wanted id.

    ``taken`` holds ids this import may not use: the course's other banks and the registry's
    retired ids (not the ids of the file being replaced, which are this import's own).
    """
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(wanted):
        groups.setdefault(item.id, []).append(index)
    final = [item.id for item in wanted]
    changes: list[IdChange] = []
    used = set(taken)
    for base, members in groups.items():
        if len(members) == 1 and base not in used:
            used.add(base)
            continue
        why = (
            f"{len(members)} questions ask for it"
            if len(members) > 1
            else "another bank of the course or the id registry already has it"
        )
        for index in members:
            candidate = f"{base}-{_hash(wanted[index].content, 6)}"
            number = 2
            while candidate in used:  # the same text twice: a true duplicate
                candidate = f"{base}-{_hash(wanted[index].content, 6)}-{number}"
                number += 1
            used.add(candidate)
            final[index] = candidate
            changes.append(IdChange(index, base, candidate, why))
    return final, changes
