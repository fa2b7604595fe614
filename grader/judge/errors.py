"""What can end a check on the judge's side: a failed expectation, and the executor's troubles.

:class:`CheckFailed` is defined here, not in :mod:`grader.checks` (which exports it to check
authors): the judge raises it too (a value that cannot cross the channel, a proxy misused), and
the judge is a layer below the checks API, which is built on it. The executor's troubles (a timeout, a crash, an import that failed) derive from
:class:`BaseException`, so a check's own ``except Exception`` around a call into the submission
cannot swallow them.
"""

from __future__ import annotations

from typing import Any

from grader.i18n import Text
from grader.protocol import clip_text
from grader.tracebacks import TEXT_LIMIT


def check_message(what: str, args: tuple[object, ...], *, en: object, zh: object) -> Text:
    """The text of ``fail``, ``expect`` or ``CheckFailed``: ``en=`` and ``zh=``, one ``Text``, or
    the deprecated ``(en, zh)`` in that order (``("...", zh="...")`` too, as before)."""
    if len(args) == 1 and isinstance(args[0], Text) and en is None and zh is None:
        return args[0]
    if len(args) > 2 or (len(args) >= 1 and en is not None) or (len(args) == 2 and zh is not None):
        raise TypeError(f"{what}: give the message as en=..., zh=... (or one Text)")
    if len(args) >= 1:
        en = args[0]
    if len(args) == 2:
        zh = args[1]
    if type(en) is not str or type(zh) is not str:
        raise TypeError(
            f"{what}: give the message as en=..., zh=... (two strings) or one Text, "
            f"got en={type(en).__name__}, zh={type(zh).__name__}"
        )
    return Text(zh=zh, en=en)


class CheckFailed(AssertionError):
    """A check failed (raised by ``grader.checks.fail``/``expect`` and by the judge itself);
    carries the learner-facing message in both languages (:attr:`text`).

    ``CheckFailed(en="...", zh="...")`` or ``CheckFailed(Text(zh="...", en="..."))``; the
    positional ``CheckFailed(en, zh)`` is deprecated (see :mod:`grader.checks`). ``str()`` of it
    is the English message.
    """

    text: Text
    """The message, in both languages."""

    def __init__(self, *args: str | Text, en: str | None = None, zh: str | None = None) -> None:
        self.text = check_message(type(self).__name__, args, en=en, zh=zh)
        super().__init__(self.text.en)

    @property
    def en(self) -> str:
        """The English message."""
        return self.text.en

    @property
    def zh(self) -> str:
        """The Chinese message."""
        return self.text.zh

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.text,), self.__dict__ or None)


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
