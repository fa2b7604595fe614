"""Provides AccuracyChart: accuracy per day as horizontal bars (one row per calendar day).

Each row reads ``01-06 ████████░░░░  67 % (3)``; a day without answers shows ``·``. The bars are
characters, not colours, so the chart reads the same with NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from textual.content import Content
from textual.widget import Widget

from grader.study.stats import Tally

__all__ = ["AccuracyChart"]


class AccuracyChart(Widget):
    """The last ``days`` calendar days ending ``today``."""

    def __init__(
        self,
        by_day: Mapping[str, Tally],
        today: date,
        *,
        days: int = 14,
        id: str | None = "accuracy-chart",
    ) -> None:
        super().__init__(id=id)
        self.by_day = dict(by_day)
        self.today = today
        self.days = days

    def rows(self, width: int) -> list[str]:
        """The chart's lines for a given width."""
        bar_width = max(5, width - 20)
        lines = []
        for back in range(self.days - 1, -1, -1):
            day = self.today - timedelta(days=back)
            tally = self.by_day.get(day.isoformat())
            label = day.strftime("%m-%d")
            if tally is None or not tally.answered:
                lines.append(f"{label} ·")
                continue
            accuracy = tally.accuracy or 0.0
            filled = round(accuracy * bar_width)
            bar = "█" * filled + "░" * (bar_width - filled)
            lines.append(f"{label} {bar} {accuracy:>4.0%} ({tally.answered})")
        return lines

    def render(self) -> Content:
        return Content("\n".join(self.rows(self.size.width or 60)))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return self.days
