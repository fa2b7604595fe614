"""``grader gradescope``: build a Gradescope autograder bundle for one exercise."""

from __future__ import annotations

from pathlib import Path

import click

from grader.course import resolve_course


@click.command()
@click.argument("exercise")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--course",
    type=click.Path(path_type=Path),
    default=None,
    help="Course folder (default: $GRADER_COURSE, the current folder, or the bundled one).",
)
def gradescope(exercise: str, out: Path, course: Path | None) -> None:
    """Write OUT (a .zip) for Gradescope: setup.sh, run_autograder, the hidden checks and the
    grader's wheel. Students submit `<exercise-id>.py`; results go to
    /autograder/results/results.json.
    """
    from grader.exercises.loader import find_exercise
    from grader.gradescope import build_bundle

    active = resolve_course(course)
    ex = find_exercise(exercise, active.exercises, active.solutions)
    build_bundle(ex, out)
    click.echo(f"wrote {out}", err=True)
