"""Provides CheckResults: a graded run shown check by check, in the current language.

Each check gets a row with its verdict, name and points, and under it the check's message (what
went wrong, in the learner's language) and the line it points at. Below the checks come the
learner's own printed output and the traceback through their own code. A message or traceback
that many checks share (a syntax error, a policy violation, a crash in a helper) is shown once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from grader.tui.strings import t

if TYPE_CHECKING:
    from grader.runner.result import CheckResult, ExerciseResult

__all__ = ["CheckResults", "first_failing_line", "points"]

_MARKS = {
    "passed": "✔",
    "failed": "✘",
    "error": "✘",
    "timeout": "⏱",
    "skipped": "–",
    "policy": "⛔",
}


def points(value: float) -> str:
    """Points without a useless fraction: 1, 0.5, 0.333."""
    return f"{round(value, 3):g}"


def first_failing_line(result: ExerciseResult) -> int | None:
    """The learner's line that the first policy violation or error points at, if any."""
    for check in result.tests:
        if str(check.reason) in ("policy", "error") and check.lineno:
            return int(check.lineno)
    return None


class CheckResults(Vertical):
    """The results of the latest run; empty (hidden) before the first one."""

    def __init__(self, *, id: str | None = "check-results") -> None:
        super().__init__(id=id)
        self.result: ExerciseResult | None = None
        self.display = False

    def compose(self) -> ComposeResult:
        yield Static("", id="results-title")
        yield Static("", id="results-verdict")
        yield Static("", id="results-summary")
        yield Vertical(id="results-checks")
        yield Static("", id="results-output-label", classes="section-label")
        yield Static("", id="results-output", classes="code-block")
        yield Static("", id="results-traceback-label", classes="section-label")
        yield Static("", id="results-traceback", classes="code-block")

    def show(self, result: ExerciseResult, lang: str) -> None:
        """Show ``result`` in ``lang``."""
        self.result = result
        self.display = True
        self._render_result(result, lang)

    def clear(self) -> None:
        """Hide the results."""
        self.result = None
        self.display = False

    def apply_lang(self, lang: str) -> None:
        if self.result is not None:
            self._render_result(self.result, lang)

    def _render_result(self, result: ExerciseResult, lang: str) -> None:
        kind = "res_title_hidden" if result.kind == "hidden" else "res_title_public"
        title = f"{t(kind, lang)} · {t('res_device', lang, device=result.provenance.device)}"
        self.query_one("#results-title", Static).update(Content(title))
        verdict = self.query_one("#results-verdict", Static)
        score = t("res_score", lang, score=points(result.score), max=points(result.max_score))
        if result.incomplete:
            text = f"{score} · {t('res_incomplete', lang)}"
        elif result.full_marks:
            key = "res_full" if result.kind == "hidden" else "res_all_public"
            text = f"{t(key, lang)}  {score}"
        else:
            text = score
        verdict.update(Content(text))
        verdict.set_class(result.full_marks, "-right")
        verdict.set_class(not result.full_marks and result.score > 0, "-partial")
        verdict.set_class(not result.full_marks and result.score <= 0, "-wrong")
        summary = result.summary.get(lang)
        summary_widget = self.query_one("#results-summary", Static)
        summary_widget.update(Content(summary))
        summary_widget.display = bool(summary)

        checks = self.query_one("#results-checks", Vertical)
        checks.remove_children()
        checks.mount_all(_check_rows(result.tests, lang, summary))

        output = result.learner_output
        if output and result.learner_output_truncated:
            from grader.runner.result import OUTPUT_CAP, TRUNCATION_NOTICE

            output += "\n" + TRUNCATION_NOTICE.get(lang).format(n=OUTPUT_CAP)
        self._block("output", t("res_output", lang), output.rstrip("\n"))
        tracebacks: list[str] = []
        for check in result.tests:
            if check.traceback and check.traceback not in tracebacks:
                tracebacks.append(check.traceback)
        self._block("traceback", t("res_traceback", lang), "\n\n".join(tracebacks))

    def _block(self, name: str, label: str, text: str) -> None:
        label_widget = self.query_one(f"#results-{name}-label", Static)
        body = self.query_one(f"#results-{name}", Static)
        label_widget.update(Content(label))
        body.update(Content(text))
        label_widget.display = body.display = bool(text)


def _check_rows(checks: tuple[CheckResult, ...], lang: str, summary: str) -> list[Static]:
    """A head line per check (mark, name, points, reason and line) and, indented below it, its
    message; a message already shown (the whole run's summary, or the check above) is not
    repeated."""
    rows: list[Static] = []
    previous = summary
    for check in checks:
        reason = str(check.reason)
        style = (
            "$success" if reason == "passed" else "$warning" if reason == "skipped" else "$error"
        )
        head = Content.assemble(
            (f"{_MARKS.get(reason, '?')} ", f"bold {style}"),
            (check.name, "bold"),
            "  ",
            t("res_points", lang, score=points(check.score), max=points(check.max_score)),
        )
        if reason != "passed":
            head = head.append(f"  · {t('reason_' + reason, lang)}")
            if check.lineno:
                head = head.append(f" · {t('res_line', lang, line=check.lineno)}")
        rows.append(Static(head, classes=f"check-head -{reason}"))
        message = check.message.get(lang)
        if message and message == previous and message != summary:
            rows.append(Static(Content(t("res_same", lang)), classes="check-message muted"))
        elif message and message != summary:
            rows.append(Static(Content(message), classes="check-message"))
        if message:
            previous = message
    return rows
