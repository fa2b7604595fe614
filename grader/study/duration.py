"""Parses the ``--time`` duration syntax of ``grader quiz``.

Accepted forms (case-insensitive, spaces ignored):

- ``45``        a bare number is minutes (45 minutes)
- ``90s``       seconds
- ``30m``       minutes (``min`` works too)
- ``1h``        hours
- ``1h30m``, ``1h30m15s``, ``2m30s``  combinations, largest unit first
- ``1:30:00``, ``45:00``  clock notation (h:mm:ss or mm:ss)
"""

from __future__ import annotations

import re

__all__ = ["DURATION_HELP", "format_duration", "parse_duration"]

DURATION_HELP = (
    "Durations: 45 (minutes), 90s, 30m, 1h, 1h30m, 2m30s, or clock notation 1:30:00 / 45:00."
)

_UNITS = re.compile(r"^(?:(\d+)h)?(?:(\d+)(?:m|min))?(?:(\d+)s)?$")


def parse_duration(text: str) -> int:
    """The number of seconds ``text`` describes (see the module docstring).

    Raises:
        ValueError: ``text`` is not a duration, or it is zero.
    """
    raw = text.strip().lower().replace(" ", "")
    seconds: int | None = None
    if raw.isdigit():
        seconds = int(raw) * 60
    elif re.fullmatch(r"\d+(?::\d{1,2}){1,2}", raw):
        parts = [int(p) for p in raw.split(":")]
        if any(p >= 60 for p in parts[1:]):
            raise ValueError(f"{text!r}: minutes and seconds must be below 60")
        while len(parts) < 3:
            parts.insert(0, 0)
        seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
    elif raw and (match := _UNITS.fullmatch(raw)):
        hours, minutes, secs = (int(g) if g else 0 for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds is None:
        raise ValueError(f"{text!r} is not a duration. {DURATION_HELP}")
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be longer than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``mm:ss`` under an hour) for a countdown; negative values show as 00:00."""
    total = max(0, int(seconds + 0.999)) if seconds > 0 else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
