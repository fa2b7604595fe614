"""What can end a check on the judge's side, besides an ordinary failed expectation.

The executor's troubles (a timeout, a crash, an import that failed) derive from
:class:`BaseException`, so a check's own ``except Exception`` around a call into the submission
cannot swallow them.
"""

from __future__ import annotations

from typing import Any

from grader.checks import CheckFailed
from grader.i18n import Text
from grader.protocol import clip_text
from grader.tracebacks import TEXT_LIMIT


class ExecutorTrouble(BaseException):
    """The executor could not answer; the check ends with this verdict."""

    reason = "error"

    def __init__(self, text: Text, traceback: str = "", line: int | None = None) -> None:
        super().__init__(text.en)
        self.text = text
        """What the learner reads."""
        self.traceback = traceback
        self.line = line


class ExecutorTimeout(ExecutorTrouble):
    reason = "timeout"


class ExecutorDied(ExecutorTrouble):
    reason = "error"


class JudgeTimeout(ExecutorTimeout):
    """The check itself (its judge-side code, e.g. on a huge value the submission returned) ran
    past its time limit plus a grace period."""


class ImportFailed(ExecutorTrouble):
    """Importing the submission raised, timed out or broke a rule; the same for every check."""

    def __init__(self, reason: str, text: Text, traceback: str = "", line: int | None = None):
        super().__init__(text, traceback, line)
        self.reason = reason


class BudgetExhausted(ExecutorTimeout):
    """The whole submission's time budget ran out."""


class Unsendable(CheckFailed):
    """The submission's answer cannot cross the channel (too large, not data, malformed)."""


class RemoteRaised(Exception):
    """Mixin of the exceptions that stand, on the judge, for one the learner's code raised.

    :func:`remote_exception` builds a subclass of the builtin exception the learner raised (so a
    check's ``except ValueError`` works) that carries the learner's traceback.
    """

    remote_type = "Exception"
    traceback = ""
    line: int | None = None


_CLASSES: dict[tuple[str, str], type[RemoteRaised]] = {}
_ALLOWED_BASES = {
    name: getattr(__import__("builtins"), name)
    for name in (
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BufferError",
        "EOFError",
        "FloatingPointError",
        "ImportError",
        "IndexError",
        "KeyError",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "RecursionError",
        "RuntimeError",
        "StopIteration",
        "TypeError",
        "UnboundLocalError",
        "UnicodeError",
        "ValueError",
        "ZeroDivisionError",
    )
}


def remote_exception(reply: dict[str, Any]) -> RemoteRaised:
    """The judge-side exception for a ``raised`` reply."""
    raw_builtin, raw_type = reply.get("builtin"), reply.get("type")
    builtin: list[Any] = raw_builtin if type(raw_builtin) is list else []
    base_name = next((n for n in builtin if type(n) is str and n in _ALLOWED_BASES), "Exception")
    type_name: str = raw_type if type(raw_type) is str else "Exception"
    type_name = type_name if type_name.isidentifier() and len(type_name) <= 100 else "Exception"
    key = (type_name, base_name)
    cls = _CLASSES.get(key)
    if cls is None:
        base = _ALLOWED_BASES.get(base_name, Exception)
        if base is StopIteration:  # never let a remote StopIteration end a judge-side loop
            base = RuntimeError
        cls = type(type_name, (RemoteRaised, base), {"remote_type": type_name})
        _CLASSES[key] = cls
    exc = cls(clip_text(reply.get("message"), TEXT_LIMIT))
    exc.traceback = clip_text(reply.get("traceback"), 4 * TEXT_LIMIT)
    line = reply.get("line")
    exc.line = line if type(line) is int else None
    return exc
