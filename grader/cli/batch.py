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
from grader.i18n import Lang, Text

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
    "`messages`), and of the summary on stderr [default of the summary: grader --lang].",
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

    The summary on stderr follows --lang, else `grader --lang` (GRADER_LANG); the line on where
    the grades ran and their CPU cost (read by benchmarks/batch.py) and the warnings about
    skipped files stay in English.
    """
    from grader.batch.run import run_batch

    shown = _summary_lang(click.get_current_context(), lang)
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
            progress_lang=shown,
        )
    except (KeyboardInterrupt, _Stopped) as exc:
        click.echo(_STOPPED.get(shown).format(gradebook=out / "gradebook.csv"), err=True)
        sys.exit(143 if isinstance(exc, _Stopped) else 130)
    rate = report.graded / report.seconds if report.seconds > 0 else 0.0
    counts = {
        "graded": report.graded,
        "rate": rate,
        "reused": report.reused,
        "errors": report.grader_errors,
        "skipped": report.skipped,
        "seconds": report.seconds,
        "gradebook": out / "gradebook.csv",
    }
    click.echo(_GRADED.get(shown).format(**counts), err=True)
    click.echo(machinery_line(report), err=True)
    sys.exit(report.exit_code)


_GRADED = Text(
    zh="评了 {graded} 份（每秒 {rate:.2f} 份），沿用续评记录中的 {reused} 份，评分器出错 {errors} 份，"
    "跳过 {skipped} 份，用时 {seconds:.1f} 秒 -> {gradebook}",
    en="graded {graded} ({rate:.2f}/s), reused {reused} from the journal, {errors} grader errors, "
    "{skipped} skipped in {seconds:.1f} s -> {gradebook}",
)
"""The summary of a finished batch (stderr)."""
_STOPPED = Text(
    zh="已停止：目前评完的成绩在 {gradebook} 和续评记录（journal）中；再运行同一条命令即可评完其余的提交",
    en="stopped: the grades finished so far are in {gradebook} and the journal; run the same "
    "command again to grade the rest",
)
"""What a batch stopped by Ctrl-C or SIGTERM says (stderr)."""


def _summary_lang(ctx: click.Context, lang: str) -> Lang:
    """The language of the summary: batch's own --lang when given, else `grader --lang`."""
    from click.core import ParameterSource

    from grader.i18n import default_lang

    given = ctx.get_parameter_source("lang") is ParameterSource.COMMANDLINE
    return ("zh" if lang == "zh" else "en") if given else default_lang()


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
