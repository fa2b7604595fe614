"""The id registry: ``ids.txt`` beside the banks, one question id per line, sorted.

Progress refers to question ids, so an id is never reused for another question: the registry may
only grow. ``grader validate`` reports every bank id missing from it, and
``grader validate --update-ids`` adds them (a test checks that every id of every committed
version of the file is still in it: an id is never removed, even after its question is). A questions folder without ``ids.txt`` is not checked
until ``--update-ids`` creates one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.bank.problems import Problem

__all__ = ["REGISTRY_NAME", "Registry", "read_registry", "update_registry"]

REGISTRY_NAME = "ids.txt"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")


@dataclass(frozen=True)
class Registry:
    """The ids of one ``ids.txt`` and the problems of the file itself."""

    path: Path
    ids: frozenset[str]
    problems: tuple[Problem, ...]


def read_registry(path: Path) -> Registry | None:
    """Read ``path`` (None when it does not exist); report unsorted, repeated or malformed lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return Registry(path, frozenset(), (Problem(str(path), 1, None, f"cannot read: {exc}"),))
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    previous = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if raw or number < text.count("\n") + 1:
                problems.append(Problem(str(path), number, None, "blank line; remove it"))
            continue
        if not _ID.match(line):
            problems.append(Problem(str(path), number, line, f"'{line}' is not a kebab-case id"))
            continue
        if line in ids:
            message = f"'{line}' is listed twice (first at line {ids[line]})"
            problems.append(Problem(str(path), number, line, message))
            continue
        if line < previous:
            problems.append(
                Problem(
                    str(path),
                    number,
                    line,
                    f"not sorted: '{line}' comes after '{previous}' "
                    "(`grader validate --update-ids` rewrites the file sorted)",
                )
            )
        ids[line] = number
        previous = max(previous, line)
    return Registry(path, frozenset(ids), tuple(problems))


def update_registry(path: Path, ids: Iterable[str]) -> list[str]:
    """Add ``ids`` to the registry at ``path`` (created if missing), keep every existing line,
    write it sorted without repeats; return the ids added."""
    existing: set[str] = set()
    if path.exists():
        existing = {line.strip() for line in path.read_text(encoding="utf-8").split("\n")}
        existing.discard("")
    added = sorted(set(ids) - existing)
    if added or not path.exists():
        lines = sorted(existing | set(added))
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return added
