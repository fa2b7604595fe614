"""``grader merge``: one gradebook from several batch outputs (the shards of a CI run)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument(
    "folders", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False)
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the merged gradebook.csv, result JSONs, summary.json/.md and junit.xml.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the messages in junit.xml, and of the summary on stderr [default of the "
    "summary: grader --lang].",
)
@click.option(
    "--roster",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A CSV with a 'student' column: each student no folder has gets a grader-error row.",
)
@click.option("--exercise", default=None, help="The exercise graded (needed with --roster).")
def merge(
    folders: tuple[Path, ...], out: Path, lang: str, roster: Path | None, exercise: str | None
) -> None:
    """Merge the OUT folders of several `grader batch` runs (FOLDERS) into one.

    Rows keep their batch status (full, partial, failed, error, timeout, policy, skipped,
    missing, grader-error); means follow the batch's one rule (missing counts as 0, skipped
    and grader-error rows are left out). A student graded in two folders for the same exercise
    is an error. With --roster, a student no folder has (a shard that failed) gets a
    grader-error row rather than vanishing.

    Exit status: 0 merged; 2 a folder is not a batch output, or a row is in two folders;
    3 some rows are skipped; 4 some rows are grader errors (nothing graded for them).
    The summary on stderr follows --lang, else `grader --lang` (GRADER_LANG); the errors about
    a folder or a row are in English.
    """
    import sys

    from click.core import ParameterSource

    from grader.batch.merge import merge_outputs, roster_students
    from grader.i18n import Text, default_lang

    rows = merge_outputs(
        list(folders),
        out,
        lang=lang,  # type: ignore[arg-type]
        roster=roster_students(roster) if roster is not None else None,
        exercise=exercise,
    )
    statuses = [r.status for r in rows]
    given = click.get_current_context().get_parameter_source("lang") is ParameterSource.COMMANDLINE
    merged = Text(
        zh="已把 {folders} 个文件夹的 {rows} 行合并 -> {out}",
        en="merged {rows} rows from {folders} folders -> {out}",
    )
    summary = merged.get(lang if given else default_lang())
    click.echo(summary.format(rows=len(rows), folders=len(folders), out=out), err=True)
    if "grader-error" in statuses:
        sys.exit(4)
    sys.exit(3 if "skipped" in statuses else 0)
