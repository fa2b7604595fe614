"""``grader export``: banks of the course to one Moodle XML or GIFT file."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option, format_option


@click.command(
    "export",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit status: 0 every question exported (the report lists grade roundings and what "
    "the format does not carry); 1 a question was skipped; 2 a bank is unknown or an option "
    "is wrong.",
)
@click.argument("banks", nargs=-1, metavar="[BANK]...")
@format_option(
    choices=("moodle", "gift"),
    default="moodle",
    help="Moodle XML (every type, both languages) or GIFT (one language, fewer fields).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "both"]),
    default="both",
    show_default=True,
    help="The language of the texts; both writes Moodle's multilang spans (Moodle XML only).",
)
@course_option
def export_questions(
    banks: tuple[str, ...], fmt: str, out: Path, lang: str, course: Path | None
) -> None:
    """Export question banks to Moodle XML or GIFT.

    BANK is a bank id of the course (or a bank file); without BANK, every bank is exported, one
    Moodle category per bank. Ids go to Moodle's idnumber, tags to tags; code_output questions
    become multiple choice (with options), short answer (a one-line output) or essay (the
    verified output in the marker's notes), tagged so that `grader import` restores them.
    Credits are rounded to Moodle's list of grades, and each rounding is reported. GIFT holds
    one language and no tags, difficulty or hints (the id becomes the question's title): the
    report lists what it loses.

    --lang is the language of the exported texts; the report's headers and summary follow
    `grader --lang` (GRADER_LANG), and its items (what a question loses, each rounding) are in
    English.
    """
    from grader.course import resolve_course
    from grader.i18n import Text, default_lang
    from grader.interop.exporter import export_banks, select_banks

    chosen, loaded = select_banks(resolve_course(course), banks)
    report = export_banks(chosen, out, fmt, lang)
    shown = default_lang()
    text = report.render(shown)
    if text:
        click.echo(text)
    if loaded.problems:
        note = Text(
            zh="注意：题库中有 {n} 个问题，有些题目因此没有导出；请运行 `grader validate`",
            en="note: {n} problem(s) in the banks left some questions out; run `grader validate`",
        )
        click.echo(note.get(shown).format(n=len(loaded.problems)), err=True)
    click.echo(report.summary(shown), err=True)
    raise SystemExit(int(report.exit_code))
