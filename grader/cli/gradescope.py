"""``grader gradescope``: build a Gradescope autograder bundle for one exercise."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option, torch_option


@click.command()
@click.argument("exercise")
@click.argument("out", type=click.Path(path_type=Path))
@course_option
@click.option(
    "--wheel",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A grader wheel to bundle (default: build one from this checkout; needs hatchling).",
)
@torch_option("setup.sh")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the feedback students read on Gradescope.",
)
def gradescope(
    exercise: str,
    out: Path,
    course: Path | None,
    wheel: Path | None,
    torch_spec: str | None,
    lang: str,
) -> None:
    """Write OUT (a .zip) to upload as a Gradescope autograder for EXERCISE.

    The zip holds setup.sh (installs Python, a CPU build of torch and the bundled grader
    wheel), run_autograder, and the exercise with its hidden checks. Students submit
    `<exercise-id>.py`; each grade goes to /autograder/results/results.json. A CUDA exercise
    is refused: Gradescope has no GPU.
    """
    from grader.course import resolve_course
    from grader.errors import UsageError
    from grader.exercises.loader import find_exercise
    from grader.gradescope import build_bundle

    if out.suffix != ".zip":
        raise UsageError(f"{out}: the bundle is a zip file; name it <something>.zip")
    active = resolve_course(course)
    ex = find_exercise(exercise, active.exercises, active.solutions)
    if active.bundled_exercises:
        from grader.batch.run import BUNDLED_WARNING

        click.echo(f"warning: {BUNDLED_WARNING}", err=True)
    build_bundle(ex, out, wheel=wheel, torch_spec=torch_spec, lang=lang)  # type: ignore[arg-type]
    click.echo(f"wrote {out}: upload it as the autograder of '{ex.id}'", err=True)
