"""``grader batch``: grade a whole class's submissions into a gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("exercise")
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output folder: gradebook.csv, <student>/<exercise>.json, summary.json/.md.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Warm grading workers running at once (each keeps torch imported).",
)
@click.option("--regrade", is_flag=True, help="Grade everything again, ignoring the journal.")
@click.option("--timeout", type=float, default=None, help="Cap the per-check time limit (s).")
@click.option(
    "--course",
    type=click.Path(path_type=Path),
    default=None,
    help="Course folder (default: $GRADER_COURSE, the current folder, or the bundled one).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch(
    exercise: str,
    submissions: Path,
    out: Path,
    workers: int,
    regrade: bool,
    timeout: float | None,
    course: Path | None,
    quiet: bool,
) -> None:
    """Grade every submission in SUBMISSIONS for EXERCISE (an id, or `all`).

    SUBMISSIONS holds `<student>.py` files (one exercise) and/or `<student>/` folders with
    `<exercise-id>.py` files. A journal in OUT makes a killed batch resume where it stopped:
    only missing or changed submissions are graded again (--regrade grades all).

    Exit status: 0 every submission graded (whatever the scores); 2 usage error;
    4 some submissions could not be graded (status grader-error; run again to retry them).
    """
    from grader.batch.run import run_batch

    report = run_batch(
        exercise,
        submissions,
        out,
        workers=workers,
        regrade=regrade,
        course=course,
        timeout=timeout,
        show_progress=not quiet,
    )
    click.echo(
        f"graded {report.graded}, reused {report.reused} from the journal, "
        f"{report.grader_errors} grader errors in {report.seconds:.1f} s -> {out / 'gradebook.csv'}",
        err=True,
    )
    sys.exit(4 if report.grader_errors else 0)
