"""The grader's log: a size-capped file in the data directory, and stderr with ``--verbose``.

Every module logs to ``logging.getLogger(__name__)``, under the ``grader`` logger. The package
gives that logger a :class:`logging.NullHandler` (``grader/__init__.py``), so library use and the
warm worker process print nothing; the ``grader`` command calls :func:`configure` once per run,
which adds

- ``grader.log`` in the data directory (``GRADER_DATA_DIR``, else the user data directory) at
  debug level, rotated at :data:`MAX_BYTES` with :data:`BACKUPS` old file kept, so what happened
  can go into a bug report;
- with ``--verbose``, the same records on stderr.

The file is opened for each record and closed again, so a forked child (judge, executor template,
executor, probe) never inherits a descriptor to it, and in a forked child the ``grader`` logger is
silenced: a sandboxed process writes nothing outside its sandbox, and what a child knows reaches
the parent as data (results, probe reasons), where it is logged. A log that cannot be written (a
read-only home, a full disk) never stops a command: records are dropped and :func:`status` says
why, which ``grader doctor`` prints.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

__all__ = [
    "BACKUPS",
    "LOG_FILENAME",
    "MAX_BYTES",
    "LogStatus",
    "configure",
    "describe_os_error",
    "status",
]

LOGGER_NAME = "grader"
LOG_FILENAME = "grader.log"
MAX_BYTES = 1 << 20
"""``grader.log`` is rotated to ``grader.log.1`` when it would grow past this size (1 MiB)."""
BACKUPS = 1
"""Rotated files kept, so the log takes at most ``(BACKUPS + 1) * MAX_BYTES`` on disk."""
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class LogStatus:
    """Where this process logs."""

    path: Path | None
    """The log file (written or not); None when :func:`configure` was not called."""
    error: str | None
    """Why the file is not written (e.g. ``cannot create /x: [Errno 30] ...``), or None."""
    verbose: bool
    """True when records also go to stderr."""


_status = LogStatus(path=None, error=None, verbose=False)
_fork_hook_registered = False


def describe_os_error(exc: OSError) -> str:
    """``errno 13 (EACCES): Permission denied`` for a log line: the number, its name, the text."""
    if exc.errno is None:
        return str(exc)
    name = errno.errorcode.get(exc.errno, "?")
    return f"errno {exc.errno} ({name}): {exc.strerror or os.strerror(exc.errno)}"


class _LogFile(logging.handlers.RotatingFileHandler):
    """A rotating file opened for each record: no descriptor outlives a record (forks inherit none)
    and a file that cannot be written drops the record, noted in :func:`status`, instead of
    printing a traceback into the command's output."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )

    def emit(self, record: logging.LogRecord) -> None:
        try:
            super().emit(record)
        finally:
            stream, self.stream = self.stream, None
            if stream is not None:
                try:
                    stream.close()
                except OSError as exc:
                    self._failed(exc)

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            self._failed(exc)
        else:  # a mistake in a log call (arguments that do not fit the message): say so
            super().handleError(record)

    def _failed(self, exc: OSError) -> None:
        global _status
        failure = f"cannot write {self.baseFilename}: {describe_os_error(exc)}"
        _status = LogStatus(_status.path, failure, _status.verbose)


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (the terminal app captures it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self, logging.DEBUG)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # always the current sys.stderr

    def handleError(self, record: logging.LogRecord) -> None:
        pass  # stderr is gone (a closed pipe): there is nowhere left to say so


def configure(directory: Path | None, *, verbose: bool = False) -> LogStatus:
    """Send the ``grader`` logger's records to ``directory/grader.log`` (and stderr if ``verbose``).

    Called again, it replaces what the previous call set up. Never raises for a folder or file
    that cannot be created: the returned status names the problem.

    Args:
        directory: the data directory; None logs to stderr only (when ``verbose``).
        verbose: also write every record, debug level included, to stderr.

    Returns:
        Where records go now (also available later from :func:`status`).
    """
    global _status, _fork_hook_registered
    logger = logging.getLogger(LOGGER_NAME)
    for handler in [h for h in logger.handlers if isinstance(h, _LogFile | _Stderr)]:
        logger.removeHandler(handler)
    logger.setLevel(logging.DEBUG)
    path = None if directory is None else Path(directory) / LOG_FILENAME
    error = None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            error = f"cannot create {path}: {describe_os_error(exc)}"
        else:
            handler = _LogFile(path)
            handler.setLevel(logging.DEBUG)
            handler.setFormatter(logging.Formatter(FILE_FORMAT))
            logger.addHandler(handler)
    if verbose:
        stderr = _Stderr()
        stderr.setFormatter(logging.Formatter(STDERR_FORMAT))
        logger.addHandler(stderr)
    if not _fork_hook_registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_silence_child)
        _fork_hook_registered = True
    _status = LogStatus(path=path, error=error, verbose=verbose)
    if error is not None:
        logging.getLogger(__name__).warning("the log file is not written: %s", error)
    return _status


def status() -> LogStatus:
    """Where this process logs (what :func:`configure` set up, and any failure since)."""
    return _status


def _silence_child() -> None:
    """After a fork: this child logs nothing (it may be, or become, a sandboxed process)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in [h for h in logger.handlers if isinstance(h, _LogFile | _Stderr)]:
        logger.removeHandler(handler)  # holds no open file between records: nothing to close
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
