"""Provides where a learner's progress lives on disk.

The data directory is ``--data-dir``, else ``GRADER_DATA_DIR``, else the platform's user data
directory (``platformdirs.user_data_dir("torch-grader")``, e.g. ``~/.local/share/torch-grader``).
Inside it each course has its own folder named by :attr:`grader.course.Course.key`, so question ids
of different courses never collide.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "APP_NAME",
    "STORE_FILENAME",
    "course_store_path",
    "data_dir",
    "instance_cache_dir",
]

APP_NAME = "torch-grader"
STORE_FILENAME = "progress.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else ``GRADER_DATA_DIR``, else the platform default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("GRADER_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def course_store_path(course_key: str, override: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite file holding the progress of the course named ``course_key``."""
    return data_dir(override) / course_key / STORE_FILENAME


def instance_cache_dir(course_key: str, override: str | os.PathLike[str] | None = None) -> Path:
    """The folder caching the computed instances of the course's parametrised questions."""
    return data_dir(override) / course_key / "instances"
