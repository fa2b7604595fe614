"""Self-study without a UI: progress store, FSRS scheduling, quiz sessions and statistics.

No torch and no Textual: the quiz path stays light. Modules, each with one job:

- ``clock``       :class:`Clock` (inject :class:`FakeClock` in tests), ``SystemClock``
- ``paths``       where progress lives: ``--data-dir``, ``GRADER_DATA_DIR``, platformdirs; per course
- ``store``       :class:`ProgressStore`, SQLite in WAL mode, every answer committed as it is given
- ``content``     the one adapter to ``grader.bank``: :class:`Catalog`, ``check``, ``content_hash``
- ``scheduling``  FSRS via the ``fsrs`` package; the rating rule and mastery definition
- ``selection``   seeded question selection and option shuffling
- ``session``     :class:`QuizSession` for practice, exam and review
- ``report``      the exam report
- ``stats``       statistics for ``grader stats`` and the stats screen
- ``transfer``    export / import of progress as JSON
- ``duration``    the ``--time`` syntax (``30m``, ``1h30m``, ``90s``, ``45``)
- ``context``     :class:`Study`: catalog + store + clock + scheduler opened together

The names below are importable from ``grader.study`` directly; each is loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Catalog": "content",
    "Clock": "clock",
    "ExamReport": "report",
    "FakeClock": "clock",
    "Feedback": "session",
    "Mastery": "scheduling",
    "ProgressStore": "store",
    "QuizSession": "session",
    "ReviewScheduler": "scheduling",
    "SessionError": "session",
    "Stats": "stats",
    "Study": "context",
    "SystemClock": "clock",
    "parse_duration": "duration",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"grader.study.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'grader.study' has no attribute {name!r}")
