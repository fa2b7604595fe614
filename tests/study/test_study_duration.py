"""The --time duration syntax."""

from __future__ import annotations

import pytest

from grader.study.duration import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45", 45 * 60),
        ("90s", 90),
        ("30m", 1800),
        ("30min", 1800),
        ("1h", 3600),
        ("1h30m", 5400),
        ("2m30s", 150),
        ("1h0m15s", 3615),
        (" 1H30M ", 5400),
        ("45:00", 2700),
        ("1:30:00", 5400),
    ],
)
def test_durations_parse(text: str, seconds: int) -> None:
    """Every documented form gives the number of seconds it names."""
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "30x", "m30", "0", "0m", "1:75", "1.5h", "-5"])
def test_bad_durations_are_refused(text: str) -> None:
    """Anything else is a ValueError that shows the accepted syntax or the reason."""
    with pytest.raises(ValueError):
        parse_duration(text)


def test_countdown_format_rounds_up_and_never_goes_negative() -> None:
    """The countdown shows mm:ss, h:mm:ss past an hour, 00:00 when the time is up."""
    assert format_duration(59.2) == "01:00"
    assert format_duration(3600) == "1:00:00"
    assert format_duration(0) == "00:00"
    assert format_duration(-3) == "00:00"
