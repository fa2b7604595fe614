"""``grader export-student``: write what students receive."""

from __future__ import annotations

from pathlib import Path

import click

from grader.course import resolve_course


@click.command(name="export-student")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--answers/--no-answers",
    default=True,
    show_default=True,
    help="Keep question answers and explanations (self-study) or strip them (an exam).",
)
@click.option(
    "--course",
    type=click.Path(path_type=Path),
    default=None,
    help="Course folder (default: $GRADER_COURSE, the current folder, or the bundled one).",
)
def export_student(out: Path, answers: bool, course: Path | None) -> None:
    """Write the student handout to OUT: question banks, exercise statements, starters and
    public checks. Hidden checks and solutions are never included.

    Self-study needs the answers (the app gives feedback with them); for a graded exam use
    --no-answers, which strips answer, explanation, reference, key_points and regex.
    """
    from grader.handout import export_student as run

    report = run(resolve_course(course), out, answers=answers)
    click.echo(f"wrote {report.banks} banks and {report.exercises} exercises to {out}", err=True)
