"""Provides DueChart: the reviews due on each of the next days as horizontal bars, one row per
day, ``█`` for questions and ``▒`` for code exercises, then the two counts.

Each row reads ``12-07 ██████▒▒   3 + 1``; bars are scaled to the busiest day. The bars are
characters, not colours, so the chart reads the same with NO_COLOR (as ``grader stats`` prints it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual.content import Content
from textual.widget import Widget

__all__ = ["DueChart"]


class DueChart(Widget):
    """The forecast of :func:`grader.study.stats.due_forecast` (today first)."""

    def __init__(self, forecast: Sequence[dict[str, Any]], *, id: str | None = "due-chart"):
        super().__init__(id=id)
        self.forecast = list(forecast)

    def rows(self, width: int) -> list[str]:
        """The chart's lines for a given width."""
        bar_width = max(5, width - 16)
        most = max((r["questions"] + r["exercises"] for r in self.forecast), default=0)
        lines = []
        for row in self.forecast:
            questions, exercises = row["questions"], row["exercises"]
            q_cells = _cells(questions, most, bar_width)
            e_cells = _cells(exercises, most, bar_width)
            bar = ("█" * q_cells + "▒" * e_cells).ljust(bar_width)
            label = date.fromisoformat(row["day"]).strftime("%m-%d")
            lines.append(f"{label} {bar} {questions:>3} + {exercises}")
        return lines

    def render(self) -> Content:
        return Content("\n".join(self.rows(self.size.width or 60)))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.forecast)


def _cells(count: int, most: int, width: int) -> int:
    return 0 if not count else max(1, round(count / most * width))
