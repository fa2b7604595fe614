"""The error an unreadable import file raises: where (file and line) and what, never a traceback."""

from __future__ import annotations

from grader.errors import UsageError

__all__ = ["BrokenFile"]


class BrokenFile(UsageError):
    """A file that is not Moodle XML or GIFT, or is broken: ``path:line: message`` (exit 2)."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.detail = message
