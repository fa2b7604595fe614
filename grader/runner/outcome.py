"""Turn what happened in a check (a pytest outcome and its exception) into a learner-facing verdict.

Runs inside the sandboxed child, right after the check: the exception object is still at hand.
Never shows the check's own source or a pytest traceback of it; shows a traceback through the
learner's own file, with their line numbers.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import pytest

from grader.checks import CheckFailed
from grader.runner.result import Message, Reason

TEXT_LIMIT = 2_000
"""Characters of an exception's message (and of a source line) a verdict carries at most: a
submission can raise an exception with a message of many megabytes."""


def exception_text(exc: BaseException) -> str:
    """``str(exc)``, capped at :data:`TEXT_LIMIT`; a placeholder when ``str()`` itself fails
    (a submission's exception class may define a ``__str__`` that raises)."""
    try:
        text = str(exc)
        if type(text) is not str:  # a str subclass could override len() or slicing
            text = str.__str__(text)
    except Exception:  # noqa: BLE001 - whatever the learner's __str__ raises
        return f"<{type(exc).__name__} object: str() failed>"
    return text[:TEXT_LIMIT] + " […]" if len(text) > TEXT_LIMIT else text


def _exception_summary(exc: BaseException) -> str:
    """The last line of a traceback (``module.Name: message``), with the message capped."""
    cls = type(exc)
    name = cls.__qualname__
    if cls.__module__ not in ("builtins", "__main__"):
        name = f"{cls.__module__}.{name}"
    text = exception_text(exc)
    return f"{name}: {text}" if text else name


def learner_traceback(exc: BaseException, filename: str, source: str) -> tuple[str, int | None]:
    """Format the frames of ``exc``'s traceback that are in the learner's file."""
    lines = source.splitlines()
    frames: list[str] = []
    last_line: int | None = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == filename:
            lineno = tb.tb_lineno
            text = lines[lineno - 1].strip()[:TEXT_LIMIT] if 0 < lineno <= len(lines) else ""
            frames.append(f'  File "{filename}", line {lineno}, in {code.co_name}\n    {text}')
            last_line = lineno
        tb = tb.tb_next
    if not frames:
        return "", None
    summary = _exception_summary(exc)
    return "Traceback (your code):\n" + "\n".join(frames) + f"\n{summary}", last_line


def _policy_violation_type() -> type[BaseException] | None:
    try:
        from grader.sandbox.policy import PolicyViolation
    except ImportError:  # the policy layer is optional for unrestricted authoring runs
        return None
    return PolicyViolation


def recorded_violation() -> Any | None:
    """The first policy violation recorded in this process (even if the submission swallowed it)."""
    try:
        from grader.sandbox.policy import VIOLATIONS
    except ImportError:
        return None
    return VIOLATIONS[0] if VIOLATIONS else None


def _policy_verdict(violation: BaseException) -> dict[str, Any]:
    return {
        "reason": Reason.POLICY,
        "message": Message(
            getattr(violation, "en", str(violation)), getattr(violation, "zh", str(violation))
        ),
        "line": getattr(violation, "lineno", None),
    }


def classify(exc: BaseException | None, *, filename: str, source: str) -> dict[str, Any]:
    """A verdict for one check from the exception it ended with (None: it passed)."""
    violation = recorded_violation()
    policy_type = _policy_violation_type()
    if policy_type is not None and isinstance(exc, policy_type):
        return _policy_verdict(exc)
    if violation is not None:
        # The submission broke a rule (and maybe swallowed the error): that is the verdict, even
        # if the check then passed or failed for another reason.
        return _policy_verdict(violation)
    if exc is None:
        return {"reason": Reason.PASSED, "message": Message("", "")}
    if isinstance(exc, CheckFailed):
        return {"reason": Reason.FAILED, "message": Message(exc.en, exc.zh)}
    if isinstance(exc, pytest.skip.Exception):  # a check skipped itself (never the learner's
        # own exception class that is merely named "Skipped")
        msg = exception_text(exc)
        return {"reason": Reason.SKIPPED, "message": Message(msg, msg)}
    trace, line = learner_traceback(exc, filename, source)
    if isinstance(exc, MemoryError):
        return {
            "reason": Reason.ERROR,
            "message": Message(
                "your code ran out of memory (the memory limit was reached)",
                "你的代码耗尽了内存（达到了内存上限）",
            ),
            "traceback": trace,
            "line": line,
        }
    if isinstance(exc, RecursionError):
        return {
            "reason": Reason.ERROR,
            "message": Message(
                "maximum recursion depth exceeded in your code",
                "你的代码超出了最大递归深度",
            ),
            "traceback": trace,
            "line": line,
        }
    name = type(exc).__name__
    text = exception_text(exc).strip()
    detail = text.splitlines()[0][:500] if text else ""
    if isinstance(exc, AssertionError):
        text = detail or "the check's condition does not hold"
        return {"reason": Reason.FAILED, "message": Message(text, detail or "检查条件不成立")}
    if trace:
        return {
            "reason": Reason.ERROR,
            "message": Message(
                f"your code raised {name}: {detail}" if detail else f"your code raised {name}",
                f"你的代码抛出了 {name}：{detail}" if detail else f"你的代码抛出了 {name}",
            ),
            "traceback": trace,
            "line": line,
        }
    return {
        "reason": Reason.FAILED,
        "message": Message(
            f"the check could not use what your code returned ({name}: {detail})",
            f"检查无法使用你的代码返回的结果（{name}：{detail}）",
        ),
    }
