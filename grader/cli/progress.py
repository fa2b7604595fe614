"""``grader progress export|import|reset``: move or clear a learner's progress (per course)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader.cli.options import course_option, data_dir_option
from grader.errors import UsageError
from grader.i18n import Text, default_lang, say

__all__ = ["progress"]

_SAY = {
    "exported": Text(zh="已把 {n} 条作答导出到 {file}", en="exported {n} answers to {file}"),
    "not_json": Text(zh="{file}:{line}: 不是 JSON：{msg}", en="{file}:{line}: not JSON: {msg}"),
    "elsewhere": Text(
        zh="注意：这份导出来自课程 {source!r}，已导入到 {key!r}",
        en="note: the export came from course {source!r}; imported into {key!r}",
    ),
    "imported": Text(zh="已导入：{summary}", en="imported {summary}"),
    "confirm": Text(
        zh="删除课程 {key!r} 的全部进度（{count} 条作答，{path}）吗？",
        en="Delete all progress of course {key!r} ({count} answers, {path})?",
    ),
    "reset": Text(
        zh="课程 {key!r} 的进度已重置（删除了 {count} 条作答）",
        en="progress of course {key!r} reset ({count} answers deleted)",
    ),
}
"""What the subcommands say, in the language of `grader --lang`."""
_TABLES = {
    "answers": Text(zh="作答", en="answers"),
    "reviews": Text(zh="复习", en="reviews"),
    "cards": Text(zh="卡片", en="cards"),
    "sessions": Text(zh="测验", en="sessions"),
    "exercise_runs": Text(zh="练习运行", en="exercise_runs"),
    "exercise_starts": Text(zh="开始练习", en="exercise_starts"),
    "exercise_cards": Text(zh="练习卡片", en="exercise_cards"),
    "exercise_reviews": Text(zh="练习复习", en="exercise_reviews"),
    "exercise_review_open": Text(zh="进行中的练习复习", en="exercise_review_open"),
}
"""The rows an import counts, by table."""


def _say(what: str, /, **values: object) -> str:
    return say(_SAY[what], **values)


def _imported(added: dict[str, int]) -> str:
    """``3 answers, 1 reviews, ...``; in Chinese ``作答 3、复习 1、...``."""
    if default_lang() != "zh":
        return ", ".join(f"{n} {table}" for table, n in added.items())
    return "、".join(
        f"{_TABLES[table].zh if table in _TABLES else table} {n}" for table, n in added.items()
    )


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
        click.echo(_say("exported", n=len(data["answers"]), file=file), err=True)


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
        raise UsageError(_say("not_json", file=file, line=exc.lineno, msg=exc.msg)) from None
    key, store = _open(course, data_dir)
    with store:
        try:
            added = import_progress(store, data)
        except ValueError as exc:
            raise UsageError(f"{file}: {exc}") from None
    if isinstance(data, dict) and data.get("course") not in (None, key):
        click.echo(_say("elsewhere", source=data["course"], key=key), err=True)
    click.echo(_say("imported", summary=_imported(added)), err=True)


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
            click.confirm(_say("confirm", key=key, count=count, path=store.path), abort=True)
        store.reset()
        reset_exercises(store)
    click.echo(_say("reset", key=key, count=count), err=True)
