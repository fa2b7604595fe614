"""``grader export-student``: write what students receive."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option


@click.command(name="export-student")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--answers/--no-answers",
    default=True,
    show_default=True,
    help="Keep question answers and explanations (self-study) or strip them (a graded exam).",
)
@course_option
def export_student(out: Path, answers: bool, course: Path | None) -> None:
    """Write the student handout to OUT (a new or empty folder): question banks, exercise
    statements, starters and public checks. Hidden checks and solutions are never included.

    Self-study needs the answers (the quiz app gives feedback with them), so they are kept by
    default. For a graded exam use --no-answers: answer, explanation, reference, key_points and
    regex are removed and `order` questions are shuffled; those banks are for reading, not for
    the app.
    """
    from grader.course import resolve_course
    from grader.handout import export_student as write_handout

    report = write_handout(resolve_course(course), out, answers=answers)
    kept = "with answers" if answers else "without answers"
    click.echo(
        f"wrote {report.banks} banks ({kept}) and {report.exercises} exercises to {out}",
        err=True,
    )
