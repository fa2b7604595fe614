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
    """
    from grader.course import resolve_course
    from grader.interop.exporter import export_banks, select_banks

    chosen, loaded = select_banks(resolve_course(course), banks)
    report = export_banks(chosen, out, fmt, lang)
    text = report.render()
    if text:
        click.echo(text)
    if loaded.problems:
        click.echo(
            f"note: {len(loaded.problems)} problem(s) in the banks left some questions out; run "
            "`grader validate`",
            err=True,
        )
    click.echo(report.summary(), err=True)
    raise SystemExit(int(report.exit_code))
