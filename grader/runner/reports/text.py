"""The report for people: a rich table of checks, then what went wrong, in the learner's language."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from grader.i18n import Lang, Text
from grader.runner.result import CheckResult, ExerciseResult, Reason

_LABELS = {
    "check": Text(zh="检查", en="check"),
    "points": Text(zh="得分", en="points"),
    "result": Text(zh="结果", en="result"),
    "score": Text(zh="总分", en="Score"),
    "device": Text(zh="设备", en="device"),
    "sandbox": Text(zh="沙箱", en="sandbox"),
    "none": Text(zh="无", en="none"),
    "not_graded": Text(zh="未评分", en="NOT GRADED"),
}
_REASONS = {
    "passed": Text(zh="通过", en="passed"),
    "failed": Text(zh="未通过", en="failed"),
    "error": Text(zh="出错", en="error"),
    "timeout": Text(zh="超时", en="timeout"),
    "skipped": Text(zh="跳过", en="skipped"),
    "policy": Text(zh="违反规则", en="policy"),
    "not_run": Text(zh="未运行", en="not run"),
}
_STYLE = {Reason.PASSED: "green", Reason.SKIPPED: "yellow"}


def render_text(
    result: ExerciseResult, lang: Lang, *, color: bool = False, width: int = 100
) -> str:
    labels = {key: text.get(lang) for key, text in _LABELS.items()}
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, no_color=not color, highlight=False
    )
    # Every name goes in as a rich Text, never as a str: a str is parsed as console markup, and
    # a parametrised check's id (`test_dtype[float32]`) would lose its brackets.
    table = Table(title=RichText(f"{result.exercise} ({result.kind})"), title_justify="left")
    table.add_column(labels["check"])
    table.add_column(labels["points"], justify="right")
    table.add_column(labels["result"])
    summary = result.summary.get(lang) if result.summary else ""

    def not_run(check: CheckResult) -> bool:
        """The check's verdict is the whole file's (a syntax error, an empty or binary file, an
        import that raised), which the summary says once, below the table."""
        return bool(summary) and check.reason is not Reason.PASSED and check.output(lang) == summary

    for check in result.tests:
        style = _STYLE.get(check.reason, "red")
        points = "–" if check.reason is Reason.SKIPPED else f"{check.score:g}"
        reason = "not_run" if not_run(check) else str(check.reason)
        table.add_row(
            RichText(check.name),
            f"{points}/{check.max_score:g}",
            RichText(_REASONS[reason].get(lang), style=style),
        )
    console.print(table)
    for check in result.tests:
        if check.reason is Reason.PASSED or not_run(check):
            continue  # a check that did not run: the summary below says why, once
        console.print(RichText(f"✗ {check.name}", style="bold"))
        console.print(RichText(check.output(lang)), soft_wrap=False)
        console.print()
    overall = result.output(lang)
    if overall:
        console.print(RichText(overall))
    layers = ", ".join(result.provenance.sandbox_layers) or labels["none"]
    if result.graded:
        score = f"{labels['score']}: {result.score:g}/{result.max_score:g}"
    else:
        why = result.incomplete_message.get(lang)
        score = f"{labels['not_graded']} ({why}) · {labels['score']}: –/{result.max_score:g}"
    console.print(
        RichText(
            f"{score}   "
            f"{labels['device']}: {result.provenance.device}   {labels['sandbox']}: {layers}",
            style="bold",
        )
    )
    return buf.getvalue()
