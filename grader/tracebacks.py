"""Tracebacks through the learner's own file, with their line numbers (no grader frames).

Lines are split the way Python's compiler counts them (``\\n``, ``\\r\\n`` and ``\\r`` only), never
with ``str.splitlines()``, which also splits at form feeds, U+2028 and other characters and would
shift every line number after one of them.
"""

from __future__ import annotations

import re
from types import TracebackType

TEXT_LIMIT = 2_000
"""Characters of an exception's message (and of a source line) kept at most: a submission can
raise an exception with a message of many megabytes."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(source: str) -> list[str]:
    """The source's lines as the compiler numbers them (index 0 is line 1)."""
    return _LINE_BREAK.split(source)


def exception_text(exc: BaseException) -> str:
    """``str(exc)``, capped at :data:`TEXT_LIMIT`; a placeholder when ``str()`` itself fails
    (a submission's exception class may define a ``__str__`` that raises)."""
    try:
        text = str(exc)
        if type(text) is not str:  # a str subclass could override len() or slicing
            text = str.__str__(text)
    except Exception:  # whatever the learner's __str__ raises
        return f"<{type(exc).__name__} object: str() failed>"
    return text[:TEXT_LIMIT] + " […]" if len(text) > TEXT_LIMIT else text


def exception_summary(exc: BaseException) -> str:
    """The last line of a traceback (``module.Name: message``), with the message capped."""
    cls = type(exc)
    name = cls.__qualname__
    if cls.__module__ not in ("builtins", "__main__"):
        name = f"{cls.__module__}.{name}"
    text = exception_text(exc)
    return f"{name}: {text}" if text else name


def learner_traceback(exc: BaseException, filename: str, source: str) -> tuple[str, int | None]:
    """Format the frames of ``exc``'s traceback that are in the learner's file."""
    lines = source_lines(source)
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
    return "Traceback (your code):\n" + "\n".join(frames) + f"\n{exception_summary(exc)}", last_line
