"""``grader batch``: grade a whole class's submissions into a gradebook."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click

from grader.cli.options import SandboxCommand, course_option, require_sandbox_option


class _Stopped(Exception):
    """SIGTERM arrived: stop like Ctrl-C does."""


def _stop_on_sigterm() -> None:
    """Turn SIGTERM into an exception, so a stopped batch still rewrites its gradebook."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Stopped

    signal.signal(signal.SIGTERM, handler)


@click.command(cls=SandboxCommand)
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
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Cap the per-check time limit (seconds); never raises an exercise's own limit.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the `output` text in each result JSON (both languages are always in "
    "`messages`).",
)
@course_option
@require_sandbox_option("Stop before grading or writing anything")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch(
    exercise: str,
    submissions: Path,
    out: Path,
    workers: int,
    regrade: bool,
    timeout: float | None,
    lang: str,
    course: Path | None,
    require_sandbox: str | None,
    quiet: bool,
) -> None:
    """Grade every submission in SUBMISSIONS for EXERCISE (an exercise id, or `all`).

    SUBMISSIONS holds `<student>.py` files (one exercise) and/or `<student>/` folders with
    `<exercise-id>.py` files; with `all`, a student folder missing a file gets a `missing` row.
    Hidden files, __MACOSX, links and unsafe names are skipped with a warning; a student present
    both as `alice.py` and `alice/` is an error before anything is graded.

    OUT gets gradebook.csv (UTF-8 with BOM; student,exercise,score,max_score,status),
    <student>/<exercise>.json, summary.json and summary.md. A journal in OUT makes a killed
    batch resume where it stopped: only new or changed submissions are graded again
    (--regrade grades all).

    Exit status: 0 every submission graded (whatever the scores); 2 usage error, nothing graded;
    3 some grades skipped (e.g. a CUDA exercise without a GPU); 4 some submissions could not be
    graded (status grader-error, no score; run again to retry them), or --require-sandbox
    found a sandbox layer missing.
    """
    from grader.batch.run import run_batch

    _stop_on_sigterm()
    try:
        report = run_batch(
            exercise,
            submissions,
            out,
            workers=workers,
            regrade=regrade,
            course=course,
            timeout=timeout,
            lang=lang,  # type: ignore[arg-type]
            require_sandbox=require_sandbox,
            show_progress=not quiet,
        )
    except (KeyboardInterrupt, _Stopped) as exc:
        click.echo(
            f"stopped: the grades finished so far are in {out / 'gradebook.csv'} and the "
            "journal; run the same command again to grade the rest",
            err=True,
        )
        sys.exit(143 if isinstance(exc, _Stopped) else 130)
    rate = report.graded / report.seconds if report.seconds > 0 else 0.0
    click.echo(
        f"graded {report.graded} ({rate:.2f}/s), reused {report.reused} from the journal, "
        f"{report.grader_errors} grader errors, {report.skipped} skipped in "
        f"{report.seconds:.1f} s -> {out / 'gradebook.csv'}",
        err=True,
    )
    sys.exit(report.exit_code)
