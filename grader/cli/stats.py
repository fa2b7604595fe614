"""``grader stats``: a learner's progress: answers, accuracy per bank and per tag, the streak."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from grader.cli.options import course_option, data_dir_option, format_option

__all__ = ["stats", "stats_data"]


def stats_data(
    course: str | os.PathLike[str] | None = None, data_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The statistics of the active course as JSON data (the Python API behind ``grader stats``).

    Everything comes from the progress store (an absent store means no answers, and is not
    created); the course's banks are listed only to leave retired questions out of "due".
    """
    from grader.course import resolve_course
    from grader.study.clock import SystemClock
    from grader.study.exercise_progress import exercise_stats
    from grader.study.paths import course_store_path
    from grader.study.stats import compute_stats, due_forecast, hint_stats
    from grader.study.store import ProgressStore

    active = resolve_course(course)
    path = course_store_path(active.key, data_dir)
    store = ProgressStore(path if path.exists() else ":memory:")
    clock = SystemClock()
    try:
        current = _current_question_ids(active) if path.exists() else set()
        data = compute_stats(store, clock, current).as_dict()
        data["exercises"] = exercise_stats(store, clock.now())
        data["due_forecast"] = due_forecast(store, clock, question_ids=current)
        data["today"] = clock.today().isoformat()
        data["hints"] = hint_stats(store)
        return data
    finally:
        store.close()


def _current_question_ids(course: Any) -> set[str]:
    """The ids of the course's questions now (its banks' listing, read through the bank cache:
    no model is built), so that retired questions are not counted as due."""
    from grader.bank.loader import load_banks

    if not course.questions.is_dir():
        return set()
    return {info.id for bank in load_banks([course.questions]).banks for info in bank.info}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def render_text(data: dict[str, Any], lang: str) -> str:
    """The statistics as a plain-text report in ``lang``."""
    from grader.tui.strings import streak_key, t

    lines = [
        t("stats_title", lang),
        t("stats_totals", lang, n=data["answered"], c=data["correct"], pct=_pct(data["accuracy"])),
        t(streak_key(data["streak_days"]), lang, n=data["streak_days"]),
        t("stats_mastery", lang, m=data["mastered"], d=data["due"]),
    ]
    exercises = data.get("exercises")
    if exercises and exercises["by_exercise"]:
        lines.append(
            t(
                "ex_stats_line",
                lang,
                accepted=exercises["accepted"],
                started=exercises["started"],
                submissions=exercises["submissions"],
            )
        )
    if exercises and exercises.get("scheduled"):
        lines.append(
            t(
                "ex_review_line",
                lang,
                due=exercises["due"],
                scheduled=exercises["scheduled"],
                reviews=exercises["reviews"],
                hints=exercises["review_hints"],
            )
        )
    hints = data.get("hints")
    if hints and any(hints.values()):
        lines.append(
            t(
                "stats_hints",
                lang,
                q=hints["question_hints"],
                n=hints["answers_with_hints"],
                e=hints["exercise_hints"],
            )
        )
    lines += chart_lines(data, lang)
    for key, column in (("by_bank", "col_bank"), ("by_tag", "col_tag")):
        rows = data[key]
        if not rows:
            continue
        width = max(len(t(column, lang)), *(len(name) for name in rows)) + 2
        lines.append("")
        lines.append(
            f"{t(column, lang):<{width}}{t('col_answered', lang):>10}"
            f"{t('col_correct', lang):>10}{t('col_accuracy', lang):>10}"
        )
        for name, row in rows.items():
            lines.append(
                f"{name:<{width}}{row['answered']:>10}{row['correct']:>10}"
                f"{_pct(row['accuracy']):>10}"
            )
    return "\n".join(lines)


CHART_DAYS = 14
"""Days shown by each chart of ``grader stats``."""
BAR_WIDTH = 50
"""Cells of the longest bar: a row stays under 80 columns."""


def chart_lines(data: dict[str, Any], lang: str) -> list[str]:
    """The two charts of the text report, plain characters (they read the same piped and with
    NO_COLOR), each row under 80 columns: accuracy by day over the last :data:`CHART_DAYS` days
    (``12-07 ██████░░░░  60% (5)``, a day without answers ``·``, as the app's stats screen), and
    the reviews due on each of the next days (``█`` questions, ``▒`` exercises, then the counts).
    """
    from grader.tui.strings import t

    lines = ["", t("stats_chart_accuracy", lang, days=CHART_DAYS)]
    today = date.fromisoformat(data.get("today") or date.today().isoformat())
    for back in range(CHART_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        row = data["by_day"].get(day.isoformat())
        label = day.strftime("%m-%d")
        if not row or not row["answered"]:
            lines.append(f"{label} ·")
            continue
        accuracy = row["accuracy"] or 0.0
        filled = round(accuracy * BAR_WIDTH)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        lines.append(f"{label} {bar} {accuracy:>4.0%} ({row['answered']})")
    forecast = data.get("due_forecast") or []
    lines += ["", t("stats_chart_due", lang, days=len(forecast) or CHART_DAYS)]
    most = max((r["questions"] + r["exercises"] for r in forecast), default=0)
    if not most:
        lines.append(t("stats_chart_none", lang))
        return lines
    for row in forecast:
        questions, exercises = row["questions"], row["exercises"]
        label = date.fromisoformat(row["day"]).strftime("%m-%d")
        q_cells = _cells(questions, most)
        e_cells = _cells(exercises, most)
        bar = ("█" * q_cells + "▒" * e_cells).ljust(BAR_WIDTH)
        lines.append(f"{label} {bar} {questions:>4} + {exercises}")
    return lines


def _cells(count: int, most: int) -> int:
    """Bar cells for ``count`` out of the largest day's ``most`` (at least 1 for any count)."""
    return 0 if not count else max(1, round(count / most * BAR_WIDTH))


@click.command("stats", context_settings={"help_option_names": ["-h", "--help"]})
@format_option(
    help='json prints {"answered", "correct", "score", "accuracy", "by_bank", "by_tag", '
    '"by_day", "streak_days", "mastered", "due", "outdated_answers", "exercises"}; '
    '"exercises" has "started", "public_pass", "accepted", "submissions", "check_runs" and '
    '"by_exercise" (status and best score of each), and the spaced review of exercises: '
    '"scheduled", "due", "reviews", "review_hints"; "due_forecast" lists '
    '{"day", "questions", "exercises"} due on each of the next 14 days (overdue ones today); '
    '"today" is the local day; "hints" has "question_hints", "answers_with_hints" and '
    '"exercise_hints".',
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the text format."
)
@course_option
@data_dir_option
def stats(fmt: str, lang: str | None, course: Path | None, data_dir: str | None) -> None:
    """Show a learner's progress: answered questions, accuracy per bank and per tag, the
    daily streak (consecutive days with an answer), due reviews of questions and code exercises,
    and two charts: accuracy by day (last 14 days) and reviews due in the next 14 days.

    Counts first tries only; "correct" means full credit. Mastered and due count only the
    questions still in the course's banks (not retired ones).
    """
    data = stats_data(course, data_dir)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        return
    from grader.i18n import default_lang

    click.echo(render_text(data, lang or default_lang()))
