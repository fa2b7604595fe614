"""``grader progress export|import|reset``: move or clear a learner's progress (per course)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader.cli.options import course_option, data_dir_option
from grader.errors import UsageError

__all__ = ["progress"]


def _open(course: Path | None, data_dir: str | None):
    from grader.course import resolve_course
    from grader.study.paths import course_store_path
    from grader.study.store import ProgressStore

    key = resolve_course(course).key
    return key, ProgressStore(course_store_path(key, data_dir))


@click.group("progress", context_settings={"help_option_names": ["-h", "--help"]})
def progress() -> None:
    """Export, import or reset a learner's progress (kept per course, in GRADER_DATA_DIR or the
    user data directory)."""


@progress.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@course_option
@data_dir_option
def export_cmd(file: str, course: Path | None, data_dir: str | None) -> None:
    """Write the progress as JSON to FILE (default: standard output)."""
    from datetime import UTC, datetime

    from grader.study.transfer import export_progress

    key, store = _open(course, data_dir)
    with store:
        data = export_progress(store, key, datetime.now(UTC))
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if file == "-":
        click.echo(text)
    else:
        with open(file, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        click.echo(f"exported {len(data['answers'])} answers to {file}", err=True)


@progress.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@course_option
@data_dir_option
def import_cmd(file: str, course: Path | None, data_dir: str | None) -> None:
    """Merge a progress export (FILE, or - for standard input) into this course's progress.

    Rows already present are kept, so importing twice adds nothing.
    """
    from grader.study.transfer import import_progress

    try:
        raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        data = json.loads(raw)
    except OSError as exc:
        raise UsageError(f"{file}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{file}:{exc.lineno}: not JSON: {exc.msg}") from None
    key, store = _open(course, data_dir)
    with store:
        try:
            added = import_progress(store, data)
        except ValueError as exc:
            raise UsageError(f"{file}: {exc}") from None
    if isinstance(data, dict) and data.get("course") not in (None, key):
        click.echo(
            f"note: the export came from course {data['course']!r}; imported into {key!r}", err=True
        )
    summary = ", ".join(f"{n} {table}" for table, n in added.items())
    click.echo(f"imported {summary}", err=True)


@progress.command("reset")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@course_option
@data_dir_option
def reset_cmd(yes: bool, course: Path | None, data_dir: str | None) -> None:
    """Delete every answer, review, exam and code-exercise result of this course's progress
    (asks first; your exercise files in the workspace are kept)."""
    from grader.study.exercise_progress import reset_exercises

    key, store = _open(course, data_dir)
    with store:
        count = len(store.answers())
        if not yes:
            click.confirm(
                f"Delete all progress of course {key!r} ({count} answers, {store.path})?",
                abort=True,
            )
        store.reset()
        reset_exercises(store)
    click.echo(f"progress of course {key!r} reset ({count} answers deleted)", err=True)
