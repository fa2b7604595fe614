"""Provides the clock every time-dependent part of the study layer reads.

Sessions, the FSRS scheduler, the exam countdown and the stats all take a :class:`Clock`, so tests
can move time forward (:class:`FakeClock`) instead of sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FakeClock", "SystemClock"]


class Clock(Protocol):
    """Where the current time comes from."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC (FSRS refuses naive datetimes)."""
        ...

    def today(self) -> date:
        """The learner's local calendar day (used for the daily streak)."""
        ...


class SystemClock:
    """The real clock: UTC now, and the day in the machine's local time zone."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now().astimezone().date()


class FakeClock:
    """A clock that only moves when told to; its local day is the UTC day.

    Args:
        start: The initial time; naive datetimes are taken as UTC.
    """

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._now.date()

    def advance(self, seconds: float = 0.0, *, days: float = 0.0) -> datetime:
        """Move the clock forward and return the new time."""
        self._now += timedelta(seconds=seconds, days=days)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (naive datetimes are taken as UTC)."""
        self._now = when if when.tzinfo else when.replace(tzinfo=UTC)
