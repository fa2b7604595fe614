"""``grader batch``: grade a whole class's submissions into a gradebook."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from grader.batch.backends import BACKENDS
from grader.cli.options import SandboxCommand, course_option, require_sandbox_option

if TYPE_CHECKING:
    from grader.batch.run import BatchReport


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
    type=click.IntRange(1, 4096),
    default=None,
    help="Grading slots at once, each a warm worker that keeps torch imported (default: 2 "
    "with --backend local; one per CPU slot of the cluster with --backend ray).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="local",
    show_default=True,
    help="Where the grades run: threads of this process, or actors on a Ray cluster "
    "(pip install 'torch-grader[ray]'; docs/cluster.md).",
)
@click.option(
    "--ray-address",
    default=None,
    metavar="ADDR",
    help="The Ray cluster for --backend ray, e.g. 10.0.0.5:6379 (default: $RAY_ADDRESS, else "
    "a local Ray instance on 127.0.0.1).",
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
    workers: int | None,
    backend: str,
    ray_address: str | None,
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

    --backend ray grades on a Ray cluster (--ray-address, else $RAY_ADDRESS, else a local
    instance): the same outputs, journal and resume, one actor per CPU slot, and summary.json
    names the node that graded each result. See docs/cluster.md.

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
            backend=backend,
            ray_address=ray_address,
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
    click.echo(machinery_line(report), err=True)
    sys.exit(report.exit_code)


def machinery_line(report: BatchReport) -> str:
    """Where the grades ran and what the batch's own machinery cost: CPU per graded submission
    once started, and to start (``benchmarks/batch.py`` reads it; docs/cluster.md explains)."""
    costs = report.costs
    graded = max(1, report.graded)
    nodes = len([n for n in report.nodes.values() if n.refused is None and n.slots])
    slots = sum(n.slots for n in report.nodes.values())
    running = costs.driver_cpu_s - costs.driver_start_cpu_s
    line = (
        f"{report.backend}: {slots} slots on {nodes} node{'s' if nodes != 1 else ''}; CPU per "
        f"graded submission: driver {1000 * running / graded:.1f} ms"
    )
    if costs.slot_cpu_s is not None:
        line += f", actors {1000 * costs.slot_cpu_s / graded:.1f} ms"
    line += f" (to start: driver {costs.driver_start_cpu_s:.1f} s"
    if costs.slot_start_cpu_s is not None:
        line += f", actors {costs.slot_start_cpu_s:.1f} s"
    line += ")"
    record = costs.extra.get("record_s")
    if record is not None:
        line += f"; writing each result and its journal row: {1000 * record / graded:.1f} ms"
    return line
