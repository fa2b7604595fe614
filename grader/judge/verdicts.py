"""Turn how a check ended (its exception, what the executor reported) into a learner-facing verdict.

Runs in the judge. Never shows the check's own source or a pytest traceback of it; shows the
traceback through the learner's file that the executor formatted (text, clipped).
"""

from __future__ import annotations

from typing import Any

import pytest

from grader.i18n import EMPTY, Text
from grader.judge.errors import CheckFailed, ExecutorTrouble, RemoteRaised
from grader.judge.executor_link import CheckLog
from grader.runner.result import Reason
from grader.tracebacks import exception_text


def _policy(violation: dict[str, Any]) -> dict[str, Any]:
    return {
        "reason": Reason.POLICY,
        "message": Text.from_dict(violation),
        "line": violation.get("line"),
    }


def classify(exc: BaseException | None, log: CheckLog) -> dict[str, Any]:
    """A verdict for one check from the exception it ended with (None: it passed)."""
    if isinstance(exc, ExecutorTrouble):
        if exc.reason == "policy" or (log.violations and exc.reason != "timeout"):
            return (
                _policy(log.violations[0])
                if log.violations
                else {
                    "reason": Reason.POLICY,
                    "message": exc.text,
                    "line": exc.line,
                }
            )
        return {
            "reason": Reason(exc.reason),
            "message": exc.text,
            "traceback": exc.traceback,
            "line": exc.line,
        }
    if log.quota:
        return {
            "reason": Reason.ERROR,
            "message": Text(
                zh=f"你的代码写满了它的临时文件夹：{log.quota}",
                en=f"your code filled its scratch folder: {log.quota}",
            ),
        }
    if log.violations:
        # The submission broke a rule (and maybe swallowed the error): that is the verdict, even
        # if the check then passed or failed for another reason.
        return _policy(log.violations[0])
    if exc is None:
        return {"reason": Reason.PASSED, "message": EMPTY}
    if isinstance(exc, RemoteRaised):
        return _learner_error(exc)
    if isinstance(exc, CheckFailed):
        return {"reason": Reason.FAILED, "message": exc.text}
    if isinstance(exc, pytest.skip.Exception):
        msg = exception_text(exc)
        return {"reason": Reason.SKIPPED, "message": Text(zh=msg, en=msg)}  # the check's words
    name = type(exc).__name__
    text = exception_text(exc).strip()
    detail = text.splitlines()[0][:500] if text else ""
    if isinstance(exc, AssertionError):
        return {
            "reason": Reason.FAILED,
            "message": Text(
                zh=detail or "检查条件不成立", en=detail or "the check's condition does not hold"
            ),
        }
    return {
        "reason": Reason.FAILED,
        "message": Text(
            zh=f"检查无法使用你的代码返回的结果（{name}：{detail}）",
            en=f"the check could not use what your code returned ({name}: {detail})",
        ),
    }


def _learner_error(exc: RemoteRaised) -> dict[str, Any]:
    trace, line = exc.traceback, exc.line
    if isinstance(exc, MemoryError):
        message = Text(
            zh="你的代码耗尽了内存（达到了内存上限）",
            en="your code ran out of memory (the memory limit was reached)",
        )
    elif isinstance(exc, RecursionError):
        message = Text(
            zh="你的代码超出了最大递归深度", en="maximum recursion depth exceeded in your code"
        )
    else:
        name = exc.remote_type
        text = exception_text(exc).strip()
        detail = text.splitlines()[0][:500] if text else ""
        message = Text(
            zh=f"你的代码抛出了 {name}：{detail}" if detail else f"你的代码抛出了 {name}",
            en=f"your code raised {name}: {detail}" if detail else f"your code raised {name}",
        )
    return {"reason": Reason.ERROR, "message": message, "traceback": trace, "line": line}
