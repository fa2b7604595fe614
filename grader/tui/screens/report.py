"""Provides ReportScreen: an exam's report (or a practice session's summary): the score, the
per-bank and per-tag breakdown, and every answer that lost credit with its explanation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown

from grader.study.duration import format_duration
from grader.study.report import ExamReport, TopicScore
from grader.study.session import QuizSession
from grader.tui.cjk import protect_inline_code
from grader.tui.markup import prompt_markdown
from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.feedback import feedback_markdown, verdict

__all__ = ["ReportScreen", "report_markdown"]


def _table(
    rows: tuple[TopicScore, ...], first_column: str, lang: str, names: dict[str, str]
) -> str:
    from grader.tui.strings import t

    head = f"| {first_column} | {t('col_answered', lang)} | {t('col_score', lang)} |"
    lines = [head, "|---|---:|---:|"]
    for row in rows:
        name = names.get(row.key, row.key)
        lines.append(
            f"| {name} | {row.answered}/{row.questions} | {row.score:g}/{row.points:g} "
            f"({row.percent:.0f}%) |"
        )
    return "\n".join(lines)


def report_markdown(session: QuizSession, report: ExamReport, lang: str) -> str:
    """The whole report as Markdown in ``lang``."""
    from grader.tui.strings import t

    catalog = session.catalog
    title = t("report_title" if session.is_exam else "summary_title", lang)
    score = t(
        "report_score",
        lang,
        score=f"{report.score:g}",
        n=f"{report.points:g}",
        pct=f"{report.percent:.0f}%",
    )
    facts = [f"**{score}**"]
    if session.is_exam:
        facts.append(t("report_time", lang, time=format_duration(report.elapsed_s)))
    if report.timed_out:
        facts.append(t("report_timed_out", lang))
    bank_names = {b.bank: b.title.get(lang) for b in catalog.banks}
    parts = [
        f"# {title}",
        " · ".join(facts),
        f"## {t('report_by_bank', lang)}",
        _table(report.by_bank, t("col_bank", lang), lang, bank_names),
        f"## {t('report_by_tag', lang)}",
        _table(report.by_tag, t("col_tag", lang), lang, {}),
        f"## {t('report_misses', lang)}",
    ]
    if not report.misses:
        parts.append(t("report_all_right", lang))
    for miss in report.misses:
        question = catalog.questions[miss.question_id]
        parts.append(
            f"### {miss.index + 1}. {verdict(miss.score, lang)} · {bank_names[catalog.bank_of(question.id)]}"
        )
        parts.append(prompt_markdown(question, lang))
        parts.append(feedback_markdown(question, miss.response, lang, show_response=True))
    return protect_inline_code("\n\n".join(parts))


class ReportScreen(LocalizedScreen):
    """The report of a finished session."""

    BINDINGS = [*LANG_BINDINGS, Binding("escape", "home", "Home", id="home")]

    def __init__(self, session: QuizSession) -> None:
        super().__init__()
        self.session = session
        self.report = session.report()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-scroll"):
            yield Markdown(report_markdown(self.session, self.report, self.lang), id="report")
        yield Footer()

    def action_home(self) -> None:
        self.app.go_home()

    def apply_lang(self, lang: str) -> None:
        self.query_one("#report", Markdown).update(report_markdown(self.session, self.report, lang))
