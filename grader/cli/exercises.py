"""``grader exercises``: the course's code exercises, their points, device and time limit."""

from __future__ import annotations

import json
from pathlib import Path

import click

from grader.cli.options import course_option, format_option
from grader.course import resolve_course
from grader.i18n import default_lang


@click.command()
@course_option
@format_option(help="A table for people, or JSON for scripts.")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of titles (default: from the locale).",
)
def exercises(course: Path | None, fmt: str, lang: str | None) -> None:
    """List the course's code exercises (id, title, points, device, time limit per check)."""
    from grader.exercises.loader import load_exercises

    active = resolve_course(course)
    chosen = lang or default_lang()
    items = load_exercises(active.exercises, active.solutions)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "exercises": [
                        {
                            "id": e.id,
                            "title": {"zh": e.spec.title.zh, "en": e.spec.title.en},
                            "points": e.spec.points,
                            "device": e.spec.device,
                            "time_limit": e.spec.time_limit,
                            "tags": list(e.spec.tags),
                        }
                        for e in items
                    ]
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title" if chosen == "en" else "标题", "points", "device", "limit/check")
    for e in items:
        table.add_row(
            e.id,
            e.spec.title.get(chosen),
            f"{e.spec.points:g}",
            e.spec.device,
            f"{e.spec.time_limit:g} s",
        )
    Console().print(table)
