"""The report for people: a rich table of checks, then what went wrong, in the learner's language."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.i18n import Lang
from grader.runner.result import ExerciseResult, Reason

_LABELS = {
    "en": {
        "check": "check",
        "points": "points",
        "result": "result",
        "score": "Score",
        "device": "device",
        "sandbox": "sandbox",
        "none": "none",
        "not_graded": "NOT GRADED",
    },
    "zh": {
        "check": "检查",
        "points": "得分",
        "result": "结果",
        "score": "总分",
        "device": "设备",
        "sandbox": "沙箱",
        "none": "无",
        "not_graded": "未评分",
    },
}
_REASONS = {
    "en": {
        "passed": "passed",
        "failed": "failed",
        "error": "error",
        "timeout": "timeout",
        "skipped": "skipped",
        "policy": "policy",
    },
    "zh": {
        "passed": "通过",
        "failed": "未通过",
        "error": "出错",
        "timeout": "超时",
        "skipped": "跳过",
        "policy": "违反规则",
    },
}
_STYLE = {Reason.PASSED: "green", Reason.SKIPPED: "yellow"}


def render_text(
    result: ExerciseResult, lang: Lang, *, color: bool = False, width: int = 100
) -> str:
    labels = _LABELS[lang]
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=color, no_color=not color, highlight=False
    )
    table = Table(title=f"{result.exercise} ({result.kind})", title_justify="left")
    table.add_column(labels["check"])
    table.add_column(labels["points"], justify="right")
    table.add_column(labels["result"])
    for check in result.tests:
        style = _STYLE.get(check.reason, "red")
        points = "–" if check.reason is Reason.SKIPPED else f"{check.score:g}"
        table.add_row(
            check.name,
            f"{points}/{check.max_score:g}",
            Text(_REASONS[lang][str(check.reason)], style=style),
        )
    console.print(table)
    for check in result.tests:
        if check.reason is Reason.PASSED:
            continue
        console.print(Text(f"✗ {check.name}", style="bold"))
        console.print(Text(check.output(lang)), soft_wrap=False)
        console.print()
    overall = result.output(lang)
    if overall:
        console.print(Text(overall))
    layers = ", ".join(result.provenance.sandbox_layers) or labels["none"]
    if result.graded:
        score = f"{labels['score']}: {result.score:g}/{result.max_score:g}"
    else:
        why = result.incomplete_message.get(lang)
        score = f"{labels['not_graded']} ({why}) · {labels['score']}: –/{result.max_score:g}"
    console.print(
        Text(
            f"{score}   "
            f"{labels['device']}: {result.provenance.device}   {labels['sandbox']}: {layers}",
            style="bold",
        )
    )
    return buf.getvalue()
