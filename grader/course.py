"""Which course is active: its ``questions/`` and ``exercises/`` folders.

Resolution order: ``--course DIR``, else ``GRADER_COURSE``, else the current folder when it has
``questions/`` or ``exercises/``, else the content bundled with the package (docs/architecture.md,
"Course folders").
Each subfolder a course has replaces the bundled one (no mixing).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The folder holding the bundled ``questions/``, ``exercises/`` and ``solutions/``.

    A wheel installs them under ``grader/_bundled``; an editable install or a checkout uses the
    repository root.
    """
    installed = _PACKAGE / "_bundled"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent


@dataclass(frozen=True)
class Course:
    """The active course's content folders."""

    root: Path
    """The course folder (the bundled root for the bundled course)."""
    questions: Path
    """Folder of YAML question banks."""
    exercises: Path
    """Folder of exercise folders (``<id>/exercise.yaml``)."""
    solutions: Path
    """Folder of reference solutions (``<id>.py``); may not exist for a course."""
    bundled: bool
    """True when this is the content shipped with the package."""

    @property
    def bundled_exercises(self) -> bool:
        """True when the exercises are the ones shipped with the package (also for a course
        folder without ``exercises/``): their hidden checks and solutions are in every wheel, so
        they are for self-study, not for grading a class."""
        return self.exercises.resolve() == (bundled_root() / "exercises").resolve()

    @property
    def key(self) -> str:
        """A short stable key naming this course (progress is kept per course)."""
        if self.bundled:
            return "bundled"
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:10]
        return f"{self.root.name}-{digest}"


def resolve_course(course_dir: str | os.PathLike[str] | None = None) -> Course:
    """Find the active course (see the module docstring)."""
    bundled = bundled_root()
    chosen: Path | None = None
    if course_dir is not None:
        chosen = Path(course_dir)
        origin = "--course"
    elif os.environ.get("GRADER_COURSE"):
        chosen = Path(os.environ["GRADER_COURSE"])
        origin = "GRADER_COURSE"
    else:
        cwd = Path.cwd()
        if (cwd / "questions").is_dir() or (cwd / "exercises").is_dir():
            chosen = cwd
            origin = "the current folder"
    if chosen is None:
        return Course(
            root=bundled,
            questions=bundled / "questions",
            exercises=bundled / "exercises",
            solutions=bundled / "solutions",
            bundled=True,
        )
    chosen = chosen.resolve()
    if not chosen.is_dir():
        raise UsageError(f"course folder {chosen} (from {origin}) does not exist")
    has_q = (chosen / "questions").is_dir()
    has_e = (chosen / "exercises").is_dir()
    if not (has_q or has_e):
        raise UsageError(
            f"course folder {chosen} (from {origin}) has neither questions/ nor exercises/"
        )
    is_bundled = chosen == bundled.resolve()
    return Course(
        root=chosen,
        questions=chosen / "questions" if has_q else bundled / "questions",
        exercises=chosen / "exercises" if has_e else bundled / "exercises",
        solutions=chosen / "solutions" if has_e else bundled / "solutions",
        bundled=is_bundled,
    )
