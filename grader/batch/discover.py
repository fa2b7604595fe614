"""Finding each student's submissions in a class folder.

Layouts (both may be mixed in one folder):

- ``DIR/<student>.py``: one student's submission for the single exercise being graded;
- ``DIR/<student>/<exercise-id>.py``: a student's files, one per exercise.

What is skipped, with a warning: hidden entries (``.git``, ``._alice.py``), system folders
(``__MACOSX``, ``__pycache__``), symbolic links, files that are not ``.py``, and names that are
not safe as file names in the output folder or as a spreadsheet cell (control or invisible
characters, path separators, a leading ``-``, ``+``, ``=`` or ``@``, undecodable bytes).
A student claimed by two entries (``alice.py`` and ``alice/``, or names that differ only in
case or Unicode normalization) is an error raised before anything is graded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

SYSTEM_FOLDERS = frozenset({"__MACOSX", "__pycache__", "node_modules", "venv", ".venv"})
_UNSAFE_CHARS = frozenset('/\\:*?"<>|')
_UNSAFE_FIRST = frozenset("-+=@ ")
MAX_NAME = 100


@dataclass(frozen=True)
class Submission:
    """One student's file for one exercise (``path`` is None when the student has no file)."""

    student: str
    exercise: str
    path: Path | None


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` (a student name) cannot be used as a folder name and a CSV cell, or None."""
    if not name:
        return "an empty name"
    if name.startswith("."):
        return "a hidden entry"
    if name in SYSTEM_FOLDERS:
        return "a system folder"
    if len(name) > MAX_NAME:
        return f"a name longer than {MAX_NAME} characters"
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        return "a name that is not valid UTF-8"
    if any(c in _UNSAFE_CHARS for c in name):
        return "a name with a path or shell character"
    if not name.isprintable():
        return "a name with control or invisible characters"
    if name[0] in _UNSAFE_FIRST or name.endswith((" ", ".")):
        return "a name that starts with - + = @ or a space, or ends with a space or a dot"
    return None


def _student_name(entry: Path) -> str:
    raw = entry.stem if entry.is_file() else entry.name
    return unicodedata.normalize("NFC", raw)


def _scan(root: Path, warnings: list[str]) -> tuple[dict[str, Path], dict[str, Path]]:
    """The loose ``.py`` files and the student folders directly in ``root``, by student name."""
    files: dict[str, Path] = {}
    folders: dict[str, Path] = {}
    claimed: dict[str, list[str]] = {}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        shown = entry.name.encode("utf-8", "replace").decode("utf-8")
        if entry.name.startswith("."):
            warnings.append(f"skipped {shown!r}: a hidden entry")
            continue
        if entry.is_symlink():
            warnings.append(f"skipped {shown!r}: a symbolic link")
            continue
        if entry.is_file() and entry.suffix != ".py":
            warnings.append(f"skipped {shown!r}: not a .py file")
            continue
        if not (entry.is_file() or entry.is_dir()):
            warnings.append(f"skipped {shown!r}: not a file or a folder")
            continue
        student = _student_name(entry)
        why = unsafe_reason(student)
        if why is not None:
            warnings.append(f"skipped {shown!r}: {why}")
            continue
        (files if entry.is_file() else folders)[student] = entry
        claimed.setdefault(student.casefold(), []).append(
            entry.name + ("" if entry.is_file() else "/")
        )
    clashes = sorted(names for names in claimed.values() if len(names) > 1)
    if clashes:
        raise UsageError(
            f"{root}: students present more than once (rename or remove one of each): "
            + "; ".join(" and ".join(sorted(names)) for names in clashes)
        )
    return files, folders


def discover(
    root: Path, exercise_ids: list[str], known_ids: list[str] | None = None
) -> tuple[list[Submission], list[str]]:
    """Every (student, exercise) pair to grade, sorted, and warnings for what was skipped.

    ``exercise_ids`` is one id, or every id of the course for ``all``; ``known_ids`` (every id
    of the course) lets a misnamed file in a student's folder be reported. A student present
    both as ``alice.py`` and ``alice/`` is an error, raised before anything is graded.
    """
    if not root.is_dir():
        raise UsageError(f"submissions folder {root} does not exist or is not a folder")
    warnings: list[str] = []
    files, folders = _scan(root, warnings)
    subs: list[Submission] = []
    single = len(exercise_ids) == 1
    for student, path in files.items():
        if single:
            subs.append(Submission(student, exercise_ids[0], path))
        else:
            warnings.append(
                f"skipped {path.name!r}: a loose .py file is graded only for one named exercise, "
                "not for `all` (put it in a student folder as <exercise-id>.py)"
            )
    known = set(known_ids or exercise_ids)
    for student, folder in folders.items():
        for ex in exercise_ids:
            candidate = folder / f"{ex}.py"
            if candidate.is_symlink():
                warnings.append(f"skipped {folder.name}/{candidate.name}: a symbolic link")
            ok = candidate.is_file() and not candidate.is_symlink()
            subs.append(Submission(student, ex, candidate if ok else None))
        strays = sorted(
            p.name
            for p in folder.glob("*.py")
            if p.stem not in known and not p.name.startswith(".")
        )
        if strays:
            warnings.append(
                f"{folder.name}/: {', '.join(strays)} match no exercise id "
                f"(expected {', '.join(f'{e}.py' for e in exercise_ids)})"
            )
    subs.sort(key=lambda s: (s.student, s.exercise))
    return subs, warnings
