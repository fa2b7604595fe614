"""Provides StatsScreen: answers, accuracy per bank and per tag, the streak, mastery, hints used,
a chart of accuracy by day and one of the reviews due in the next 14 days."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Markdown, Static

from grader.i18n import Text
from grader.study.stats import Stats, Tally
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.strings import streak_key, t
from grader.tui.widgets.accuracy_chart import AccuracyChart
from grader.tui.widgets.due_chart import DueChart

__all__ = ["StatsScreen", "stats_markdown"]


def _pct(tally: Tally) -> str:
    return "–" if tally.accuracy is None else f"{tally.accuracy:.0%}"


def _table(rows: dict[str, Tally], first: str, lang: str, names: dict[str, str]) -> str:
    lines = [
        f"| {first} | {t('col_answered', lang)} | {t('col_correct', lang)} | "
        f"{t('col_accuracy', lang)} |",
        "|---|---:|---:|---:|",
    ]
    for key, tally in rows.items():
        lines.append(
            f"| {names.get(key, key)} | {tally.answered} | {tally.correct} | {_pct(tally)} |"
        )
    return "\n".join(lines)


def stats_markdown(
    stats: Stats, lang: str, bank_names: dict[str, str], hints: dict[str, int] | None = None
) -> tuple[str, str]:
    """The statistics as Markdown in ``lang``: the summary (shown above the chart) and the
    per-bank and per-tag tables (shown below it). ``hints``: the hints used
    (:func:`grader.study.stats.hint_stats`), shown under the summary once any was used."""
    total = stats.total
    summary = [f"# {t('stats_title', lang)}"]
    if not total.answered:
        summary.append(t("stats_empty", lang))
    summary.append(
        " · ".join(
            [
                t("stats_totals", lang, n=total.answered, c=total.correct, pct=_pct(total)),
                t(streak_key(stats.streak_days), lang, n=stats.streak_days),
                t("stats_mastery", lang, m=stats.mastered, d=stats.due),
            ]
        )
    )
    if hints and any(hints.values()):
        summary.append(
            t(
                "stats_hints",
                lang,
                q=hints["question_hints"],
                n=hints["answers_with_hints"],
                e=hints["exercise_hints"],
            )
        )
    tables = []
    if total.answered:
        tables = [
            f"## {t('report_by_bank', lang)}",
            _table(stats.by_bank, t("col_bank", lang), lang, bank_names),
            f"## {t('report_by_tag', lang)}",
            _table(stats.by_tag, t("col_tag", lang), lang, {}),
        ]
    return "\n\n".join(summary), "\n\n".join(tables)


class StatsScreen(LocalizedScreen):
    """The learner's statistics for the course."""

    BINDINGS = [*LANG_BINDINGS, Binding("escape", "back", "Back", id="back")]

    def __init__(
        self,
        stats: Stats,
        today: date,
        bank_names: dict[str, Text],
        hints: dict[str, int] | None = None,
        forecast: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.hints = hints
        self.forecast = forecast or []
        """Reviews due per day (:func:`grader.study.stats.due_forecast`); none: no chart."""
        self.stats = stats
        self.today = today
        self.bank_names = bank_names

    def _names(self, lang: str) -> dict[str, str]:
        return {bank: name.get(lang) for bank, name in self.bank_names.items()}

    def compose(self) -> ComposeResult:
        summary, tables = stats_markdown(self.stats, self.lang, self._names(self.lang), self.hints)
        with VerticalScroll(id="stats-scroll"):
            yield Markdown(summary, id="stats")
            yield Static(Content(self.t("stats_over_time")), id="chart-title")
            yield AccuracyChart(self.stats.by_day, self.today)
            if self.forecast:
                yield Static(Content(self._due_title(self.lang)), id="due-chart-title")
                if any(r["questions"] or r["exercises"] for r in self.forecast):
                    yield DueChart(self.forecast)
                else:
                    yield Static(Content(self.t("stats_chart_none")), id="due-chart-none")
            yield Markdown(tables, id="stats-tables")
        yield Footer()

    def _due_title(self, lang: str) -> str:
        return t("stats_chart_due", lang, days=len(self.forecast))

    def action_back(self) -> None:
        self.app.pop_screen()

    def apply_lang(self, lang: str) -> None:
        summary, tables = stats_markdown(self.stats, lang, self._names(lang), self.hints)
        self.query_one("#stats", Markdown).update(summary)
        self.query_one("#stats-tables", Markdown).update(tables)
        self.query_one("#chart-title", Static).update(Content(t("stats_over_time", lang)))
        if self.forecast:
            self.query_one("#due-chart-title", Static).update(Content(self._due_title(lang)))
            for none in self.query("#due-chart-none").results(Static):
                none.update(Content(t("stats_chart_none", lang)))
