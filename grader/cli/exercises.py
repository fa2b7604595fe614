"""``grader exercises``: the course's code exercises, their points, device and time limit."""

from __future__ import annotations

import json
from pathlib import Path

import click

from grader.cli.options import course_option, format_option
from grader.course import resolve_course
from grader.i18n import Text, default_lang


@click.command()
@course_option
@format_option(help="A table for people, or JSON for scripts.")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of titles and headers (default: grader --lang, GRADER_LANG, the locale).",
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

    table = Table()
    # An id is what the learner types next (`grader check ID ...`): never wrapped or cut, at
    # 80 columns or piped; the title wraps instead.
    table.add_column("id", no_wrap=True, min_width=max((len(e.id) for e in items), default=2))
    table.add_column(_HEADERS["title"].get(chosen), overflow="fold")
    for key in ("points", "device", "limit"):
        table.add_column(_HEADERS[key].get(chosen), no_wrap=True)
    for e in items:
        table.add_row(
            e.id,
            e.spec.title.get(chosen),
            f"{e.spec.points:g}",
            _device(e.spec.device, chosen),
            f"{e.spec.time_limit:g} s",
        )
    Console().print(table)


_HEADERS = {
    "title": Text(zh="标题", en="title"),
    "points": Text(zh="分值", en="points"),
    "device": Text(zh="设备", en="device"),
    "limit": Text(zh="时限/每项", en="limit/check"),
}
_ANY_DEVICE = Text(zh="任意", en="any")


def _device(device: str, lang: str) -> str:
    """``any`` in the learner's language; ``cpu``/``cuda`` as names (upper case in Chinese)."""
    if device == "any":
        return _ANY_DEVICE.get(lang)
    return device.upper() if lang == "zh" else device
