"""Provides :class:`ExamLock`: one running exam per course store, across processes.

Each browser tab of ``grader serve`` runs its own app process over the same progress store, and
a learner may also open the terminal app beside it. An unfinished exam is one row of the store that
every open exam screen rewrites as its clock runs, and starting an exam abandons the stored one;
two screens on it would overwrite each other's answers and time. So the app holds this lock while
an exam screen is open: an advisory ``flock`` on ``exam.lock`` beside the course's store. The
kernel drops it when the holding process ends, killed or not, so a crashed tab never leaves the
exam locked. Where ``fcntl`` is missing (Windows), ``msvcrt.locking`` on the same file does the
same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

__all__ = ["LOCK_FILENAME", "ExamInUse", "ExamLock"]

LOCK_FILENAME = "exam.lock"


class ExamInUse(Exception):
    """Another process (another tab or window) has this course's exam open."""


class ExamLock:
    """The exam lock of the course whose store is ``store_path``; :meth:`acquire` takes it."""

    def __init__(self, store_path: str | os.PathLike[str]) -> None:
        self.path = Path(store_path).parent / LOCK_FILENAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock at once, or raise :class:`ExamInUse` (never waits). Taking it again
        while held does nothing."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise ExamInUse(str(self.path)) from None
        self._fd = fd

    def release(self) -> None:
        """Let the lock go (does nothing when not held)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            _unlock(fd)
            os.close(fd)

    def __enter__(self) -> ExamLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - the tests run on Linux
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
