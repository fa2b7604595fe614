"""Provides :class:`Workspace`: the folder holding a learner's own file for each code exercise.

Each exercise has one file, ``<workspace>/<exercise id>.py``, created from the exercise's
``starter.py`` the first time the exercise is opened and kept across restarts. The built-in editor,
the learner's ``$EDITOR`` and any other editor all work on that file; a reset copies the starter
over it again. ``<workspace>/accepted/<exercise id>.py`` keeps the learner's first accepted code,
written once and never overwritten (spaced review starts the exercise afresh from the starter).

The workspace is ``--workspace DIR`` when given, else ``<data dir>/<course key>/workspace`` (next
to the course's progress store, see :mod:`grader.study.paths`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from grader.exercises.model import Exercise
from grader.study.paths import data_dir

__all__ = ["ACCEPTED_DIRNAME", "WORKSPACE_DIRNAME", "Workspace", "default_workspace"]

WORKSPACE_DIRNAME = "workspace"
ACCEPTED_DIRNAME = "accepted"
"""The folder inside the workspace holding each exercise's accepted code."""


def default_workspace(course_key: str, data_override: str | os.PathLike[str] | None = None) -> Path:
    """The workspace of the course ``course_key`` inside the data directory."""
    return data_dir(data_override) / course_key / WORKSPACE_DIRNAME


def fingerprint(text: str) -> str:
    """A short hash of a file's text (what watch mode compares)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Workspace:
    """The learner's exercise files in one folder.

    Args:
        root: The folder; created on the first write.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser()

    def path(self, exercise: Exercise) -> Path:
        """The learner's file of ``exercise`` (it may not exist yet)."""
        return self.root / f"{exercise.id}.py"

    def starter_text(self, exercise: Exercise) -> str:
        """The exercise's starter code ('' when the exercise ships none)."""
        try:
            return exercise.starter.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def open(self, exercise: Exercise) -> str:
        """The learner's code; on first use the starter is copied into the workspace."""
        path = self.path(exercise)
        if not path.is_file():
            self.write(exercise, self.starter_text(exercise))
        return self.read(exercise)

    def read(self, exercise: Exercise) -> str:
        """The file's text as it is on disk now ('' when it is missing or unreadable as UTF-8)."""
        try:
            return self.path(exercise).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def write(self, exercise: Exercise, text: str) -> Path:
        """Replace the learner's file with ``text`` in one step (a crash never leaves half a
        file); returns its path."""
        path = self.path(exercise)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{exercise.id}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def reset(self, exercise: Exercise) -> str:
        """Put the starter back in place of the learner's code; returns the starter."""
        text = self.starter_text(exercise)
        self.write(exercise, text)
        return text

    def accepted_path(self, exercise: Exercise) -> Path:
        """Where the learner's accepted code of ``exercise`` is kept (see
        :mod:`grader.study.exercise_review`)."""
        return self.root / ACCEPTED_DIRNAME / f"{exercise.id}.py"

    def keep_accepted(self, exercise: Exercise, text: str) -> bool:
        """Keep ``text`` as the accepted code of ``exercise`` unless some is already kept (it is
        never overwritten); returns True when it was written."""
        path = self.accepted_path(exercise)
        if path.is_file():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="") as out:
                out.write(text)
        except FileExistsError:
            return False
        return True

    def accepted(self, exercise: Exercise) -> str | None:
        """The kept accepted code of ``exercise``, or None."""
        try:
            return self.accepted_path(exercise).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def exists(self, exercise: Exercise) -> bool:
        """True once the exercise has been opened (its file is in the workspace)."""
        return self.path(exercise).is_file()
