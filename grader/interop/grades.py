"""Moodle's grade fractions: the fixed list of percentages an answer may be worth, and snapping.

Moodle stores an answer's credit as a fraction and accepts only the values of its grade menu
(``question_bank::fraction_options_full()``): 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50,
40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and their negatives. Its
importer refuses any other value (the "error" mode of ``match_grade_options``), so an export snaps
each credit to the nearest one, as that function's "nearest" mode does (ties go to the larger
value, which comes first in Moodle's list), and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MOODLE_GRADES", "Snapped", "snap_grade"]

_POSITIVE = (
    100.0,
    90.0,
    83.33333,
    80.0,
    75.0,
    70.0,
    66.66667,
    60.0,
    50.0,
    40.0,
    33.33333,
    30.0,
    25.0,
    20.0,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10.0,
    5.0,
)
MOODLE_GRADES: tuple[float, ...] = (*_POSITIVE, 0.0, *(-g for g in reversed(_POSITIVE)))
"""Every percentage Moodle accepts, largest first."""

_SAME = 0.001
"""Moodle's own tolerance: a fraction within 0.00001 (0.001 %) of a menu value is that value."""


@dataclass(frozen=True)
class Snapped:
    """A percentage as Moodle will store it."""

    value: float
    """The grade from :data:`MOODLE_GRADES`."""
    original: float
    """The percentage asked for."""

    @property
    def rounded(self) -> bool:
        """True when Moodle's list forced a different value."""
        return abs(self.value - self.original) > _SAME


def snap_grade(percent: float) -> Snapped:
    """The Moodle grade nearest to ``percent`` (ties go to the larger grade)."""
    best = MOODLE_GRADES[0]
    for grade in MOODLE_GRADES:
        if abs(percent - grade) < abs(percent - best) - 1e-12:
            best = grade
    return Snapped(best, percent)
