"""Errors and exit codes shared by every command, and the did-you-mean of their messages.

Hierarchy::

    GraderError                 base; carries the exit code it maps to
    ├── UsageError              bad arguments or input before any work started (exit 2)
    │   └── SessionError        a quiz request the session cannot honour (grader.study.session)
    ├── BankError               a question bank or exercise could not be loaded (exit 2)
    ├── SandboxError            the sandbox could not be set up (exit 4)
    └── InternalError           a fault of the grader itself (exit 4)

Outside it, on purpose:

- ``PolicyViolation`` (``grader.sandbox.policy.errors``) is a learner's mistake, not the
  grader's: it is raised inside the sandboxed executor, travels to the judge as data and ends as
  a graded result (reason ``policy``, exit 1). As a ``GraderError`` it would be one ``except``
  away from becoming exit 4 or a message instead of a score.
- ``Cancelled`` (``grader.runner.client``) says that someone stopped a grading job (the app's
  Esc, a batch shutting down): nothing failed, so it has no exit code, and handlers that report
  ``GraderError`` as a failure must not catch it.

tests/cli/test_cli_exit_codes.py checks, as subprocesses, the exit codes these choices give.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit status of every ``grader`` command."""

    OK = 0
    """Success; for grading, full marks."""
    FAILED = 1
    """Graded or validated with failures (anything wrong inside a submission or a bank)."""
    USAGE = 2
    """Usage or input error before grading could start (unknown exercise, missing file)."""
    INCOMPLETE = 3
    """Incomplete: checks were skipped (e.g. a CUDA exercise without a GPU)."""
    GRADER_ERROR = 4
    """The grader itself failed (the sandbox could not start, an internal fault)."""


class GraderError(Exception):
    """Base class of every error the grader reports to a user."""

    exit_code: ExitCode = ExitCode.GRADER_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GraderError):
    """Raised for bad arguments or input detected before any work started."""

    exit_code = ExitCode.USAGE


class BankError(GraderError):
    """Raised when question banks or exercises cannot be loaded at all."""

    exit_code = ExitCode.USAGE


class SandboxError(GraderError):
    """Raised when the sandbox cannot be set up as required."""

    exit_code = ExitCode.GRADER_ERROR


class InternalError(GraderError):
    """Raised for faults of the grader itself; never reported as a learner's 0."""

    exit_code = ExitCode.GRADER_ERROR


SUGGESTION_CUTOFF = 0.6
"""How alike (difflib's ratio, 0 to 1) a known name must be to a misspelt one to be suggested.
difflib's and click's default: ``hint`` for ``hnit`` (0.75), but not ``crashes.py`` for
``missing.py`` (0.5), as a wrong suggestion is worse than none."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to ``word`` when one is close enough to be what was meant, else None."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=SUGGESTION_CUTOFF)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], lang: str = "en") -> str:
    """`` (did you mean 'answer'?)`` (``lang`` zh: ``（是不是 'answer'？）``) when a choice is
    close to ``word``, else ``''``."""
    match = closest(word, choices)
    if match is None:
        return ""
    return f"（是不是 '{match}'？）" if lang == "zh" else f" (did you mean '{match}'?)"
