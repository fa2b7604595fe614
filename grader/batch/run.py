"""Grading a class: every submission through warm workers, journaled, into a gradebook.

    from grader.batch.run import run_batch
    report = run_batch("add-one", Path("class"), Path("out"), workers=2)
    report.rows, report.exit_code

The grades run on a backend (:mod:`grader.batch.backends`): threads of this process, each owning
one warm worker process (torch imported once) that forks a sandboxed child per check, or actors
on a Ray cluster that each own such a worker. This module is the driver, the same for both: it
plans, decides what every finished attempt means and writes it. Everything about one grade is
decided before the next: its JSON is written, then its journal row; the gradebook is rewritten
from all rows now and then and at the end. A failure of the grader (a worker that cannot start or
dies, an actor lost with its node) is retried on a fresh worker (elsewhere, on Ray) and, when
every attempt fails, recorded as ``grader-error`` with no score and no journal row, so the next
run grades it again.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch.backends import BACKENDS
from grader.batch.backends.base import Backend, Costs, Job, NodeFacts, Outcome
from grader.batch.backends.local import LocalBackend, preflight_sandbox
from grader.batch.discover import Submission, discover
from grader.batch.gradebook import (
    Row,
    result_path,
    write_gradebook,
    write_junit,
    write_result,
    write_summary,
)
from grader.batch.journal import Entry, Journal, Stamp
from grader.batch.outdir import check_out, locked, open_journal, remove_leftovers
from grader.batch.progress import ProgressBar, progress_bar
from grader.batch.status import NO_SCORE, status_of
from grader.batch.workers import WorkerFactory
from grader.course import Course, resolve_course
from grader.errors import SandboxError, UsageError
from grader.exercises.loader import exercise_ids, find_exercise
from grader.exercises.model import Exercise
from grader.i18n import Lang
from grader.runner.result import ExerciseResult

__all__ = ["BUNDLED_WARNING", "BatchReport", "preflight_sandbox", "run_batch"]

REWRITE_EVERY = 25
"""Rewrite the gradebook after this many new grades (and at the end)."""


Warn = Callable[[str], None]


@dataclass(frozen=True)
class BatchReport:
    """What a batch did."""

    rows: list[Row]
    graded: int
    """Grades run in this batch (including those that ended as grader-error)."""
    reused: int
    """Grades taken from the journal: unchanged since an earlier run."""
    grader_errors: int
    warnings: list[str]
    seconds: float
    out: Path
    attempts: dict[tuple[str, str], int] = field(default_factory=dict)
    """How many grading attempts each (student, exercise) graded here took."""
    backend: str = "local"
    nodes: dict[str, NodeFacts] = field(default_factory=dict)
    """Every node that graded here, by label (the host name for the local backend)."""
    costs: Costs = field(default_factory=Costs)
    """CPU time of the batch's own machinery (not of the grading processes)."""

    @property
    def skipped(self) -> int:
        return sum(r.status == "skipped" for r in self.rows)

    @property
    def exit_code(self) -> int:
        """4 when a grade failed for the grader's own reasons, 3 when some were skipped, else 0."""
        if self.grader_errors:
            return 4
        return 3 if self.skipped else 0


BUNDLED_WARNING = (
    "grading the exercises bundled with the grader: they are for self-study, and students who "
    "install the grader can read these hidden checks and solutions. To grade a class, use a "
    "private course with --course DIR (see templates/README.md, 'Grading with a private course')"
)


def _resolve_exercises(exercise: str, course: Course) -> tuple[list[str], dict[str, Exercise]]:
    if exercise == "all":
        ids = exercise_ids(course.exercises)
        if not ids:
            raise UsageError(f"the course at {course.exercises} has no exercises")
    else:
        ids = [find_exercise(exercise, course.exercises, course.solutions).id]
    return ids, {i: find_exercise(i, course.exercises, course.solutions) for i in ids}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Driver:
    """Turns finished attempts into rows: writes the result JSON, then the journal row."""

    def __init__(
        self, *, loaded: dict[str, Exercise], out: Path, journal: Journal, lang: Lang
    ) -> None:
        self.loaded = loaded
        self.out = out
        self.journal = journal
        self.lang: Lang = lang
        self.seconds = 0.0
        """Wall time spent writing results and journal rows (their fsyncs): the driver's
        per-result cost, which bounds how far a batch scales (docs/cluster.md)."""

    def record(
        self, sub: Submission, stamp: Stamp, result: ExerciseResult, node: str | None
    ) -> Row:
        started = time.perf_counter()
        try:
            return self._record(sub, stamp, result, node)
        finally:
            self.seconds += time.perf_counter() - started

    def _record(
        self, sub: Submission, stamp: Stamp, result: ExerciseResult, node: str | None
    ) -> Row:
        status = status_of(result)
        score = None if status in NO_SCORE else result.score
        doc = result.to_dict(self.lang)
        row = Row(sub.student, sub.exercise, score, result.max_score, status, doc, node)
        write_result(self.out, row)  # the JSON first: a journaled grade always has its JSON
        if status == "skipped":  # a machine with a GPU should grade it: not journaled
            self.journal.forget(sub.student, sub.exercise)
        else:
            entry = Entry(result.score, result.max_score, status, doc, node)
            self.journal.record(sub.student, sub.exercise, stamp, entry)
        return row

    def fail(self, sub: Submission, message: str) -> Row:
        """A grader-error row: no score, no JSON, nothing journaled (the next run retries)."""
        print(f"error: grading {sub.student}/{sub.exercise} failed: {message}", file=sys.stderr)
        points = self.loaded[sub.exercise].spec.points
        row = Row(sub.student, sub.exercise, None, points, "grader-error", None)
        write_result(self.out, row)
        self.journal.forget(sub.student, sub.exercise)
        return row


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_backend(
    name: str,
    loaded: dict[str, Exercise],
    *,
    workers: int | None,
    timeout: float | None,
    require_sandbox: bool | str | None,
    ray_address: str | None,
    worker_factory: WorkerFactory | None,
    warn: Warn,
) -> Backend:
    """The backend called ``name``; UsageError for an unknown one, or Ray not installed."""
    if name == "local":
        return LocalBackend(
            loaded,
            workers=workers or 2,
            timeout=timeout,
            require_sandbox=require_sandbox,
            worker_factory=worker_factory,
        )
    if name == "ray":
        if worker_factory is not None:
            raise UsageError("worker_factory is for the local backend (Ray actors own theirs)")
        from grader.batch.backends.ray_cluster import RayBackend

        return RayBackend(
            loaded,
            address=ray_address,
            workers=workers,
            timeout=timeout,
            require_sandbox=require_sandbox,
            warn=warn,
        )
    raise UsageError(f"unknown batch backend {name!r}: use one of {', '.join(BACKENDS)}")


def run_batch(
    exercise: str,
    submissions: Path,
    out: Path,
    *,
    workers: int | None = None,
    regrade: bool = False,
    course: Course | str | Path | None = None,
    timeout: float | None = None,
    lang: Lang = "en",
    retries: int = 2,
    require_sandbox: bool | str | None = False,
    show_progress: bool = True,
    progress_lang: Lang = "en",
    worker_factory: WorkerFactory | None = None,
    warn: Warn | None = None,
    backend: str = "local",
    ray_address: str | None = None,
) -> BatchReport:
    """Grade every submission in ``submissions`` for ``exercise`` (an id, or ``all``) into ``out``.

    Raises UsageError (exit 2) before grading starts for an unknown exercise, a missing folder,
    a student present twice (``alice.py`` and ``alice/``), an OUT another batch holds, or
    ``backend="ray"`` without Ray installed. ``workers``: grading slots at once (local: threads,
    default 2; ray: actors, default one per CPU slot of the cluster). ``worker_factory`` makes
    the local backend's workers (default: a ``WarmWorker`` per thread); ``retries`` is how many
    times a grader failure is retried on a fresh worker (on Ray, on another actor). With
    ``require_sandbox`` a missing sandbox layer stops the whole batch with SandboxError (exit 4)
    before anything is graded without it; on Ray a node that lacks one is refused (and named),
    and the batch stops only when every node is. ``ray_address``: the cluster (default
    ``RAY_ADDRESS``, else a local instance). ``progress_lang``: the language of the progress
    bar (``lang`` is that of the results).
    """
    started = time.monotonic()
    cpu_at_start = _cpu_seconds()
    say: Warn = warn or (lambda text: print(f"warning: {text}", file=sys.stderr))
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if backend not in BACKENDS:
        raise UsageError(f"unknown batch backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if ray_address is not None and backend != "ray":
        raise UsageError("--ray-address is for --backend ray")
    active = course if isinstance(course, Course) else resolve_course(course)
    ids, loaded = _resolve_exercises(exercise, active)
    check_out(out, submissions)
    runner = make_backend(
        backend,
        loaded,
        workers=workers,
        timeout=timeout,
        require_sandbox=require_sandbox,
        ray_address=ray_address,
        worker_factory=worker_factory,
        warn=say,
    )
    if active.bundled_exercises:
        say(BUNDLED_WARNING)
    subs, warnings = discover(submissions, ids, exercise_ids(active.exercises))
    for text in warnings:
        say(text)
    settings = json.dumps({"kind": "hidden", "timeout": timeout, "lang": lang}, sort_keys=True)
    hashes = {i: (ex.content_hash(), ex.checks_hash("hidden")) for i, ex in loaded.items()}
    attempts: dict[tuple[str, str], int] = {}
    costs = Costs()
    try:
        runner.open()  # may refuse (no sandbox, no usable node) before OUT is written
        cpu_when_open = _cpu_seconds()
        out.mkdir(parents=True, exist_ok=True)
        with locked(out):
            remove_leftovers(out)
            journal = open_journal(out, say)
            try:
                if regrade:
                    journal.clear()
                rows, todo, reused = _plan(subs, loaded, hashes, settings, journal, out)
                driver = _Driver(loaded=loaded, out=out, journal=journal, lang=lang)
                bar = progress_bar(len(todo), reused, show_progress, progress_lang)
                try:
                    _grade_all(driver, runner, todo, rows, bar, retries, attempts, say)
                finally:
                    bar.close()
                    # What is graded is kept, even when interrupted: the gradebook lists it.
                    write_gradebook(out, list(rows.values()))
                    write_junit(out, list(rows.values()), lang)
            finally:
                journal.close()
            final = sorted(rows.values(), key=lambda r: (r.student, r.exercise))
            nodes = runner.nodes()
            write_summary(out, final, backend=backend, nodes=nodes)
    finally:
        costs = runner.close()
    costs.driver_cpu_s = _cpu_seconds() - cpu_at_start
    costs.driver_start_cpu_s = cpu_when_open - cpu_at_start
    costs.extra["record_s"] = driver.seconds
    return BatchReport(
        rows=final,
        graded=len(todo),
        reused=reused,
        grader_errors=sum(r.status == "grader-error" for r in final),
        warnings=warnings,
        seconds=time.monotonic() - started,
        out=out,
        attempts=dict(attempts),
        backend=backend,
        nodes=nodes,
        costs=costs,
    )


def _grade_all(
    driver: _Driver,
    backend: Backend,
    todo: list[tuple[Submission, Stamp]],
    rows: dict[tuple[str, str], Row],
    bar: ProgressBar,
    retries: int,
    attempts: dict[tuple[str, str], int],
    say: Warn,
) -> None:
    """Grade ``todo`` on ``backend`` into ``rows``, rewriting the gradebook now and then.

    The one loop of every backend: start attempts while slots are free, and turn each finished
    attempt into a row, or a retry (a grader fault, at most ``retries`` times), or a stop
    (``--require-sandbox``). A freed slot gets its next submission before the finished ones are
    written, so no slot waits for the disk. Ctrl-C (or SIGTERM through the CLI) cancels the
    grades in flight and those not started.
    """
    queue: deque[Job] = deque(Job(sub, stamp) for sub, stamp in todo)
    in_flight = 0
    new = 0

    def fill() -> int:
        started = 0
        while queue and backend.free_slots() > 0:
            job = queue.popleft()
            attempts[job.key] = job.attempt
            backend.submit(job)
            started += 1
        return started

    try:
        while queue or in_flight:
            in_flight += fill()
            finished = backend.collect(0.25)
            in_flight -= len(finished)
            in_flight += fill()
            for outcome in finished:
                row = _settle(driver, outcome, retries, queue, say)
                if row is None:
                    continue
                rows[(row.student, row.exercise)] = row
                new += 1
                bar.advance(row.status)
                if new % REWRITE_EVERY == 0:
                    write_gradebook(driver.out, list(rows.values()))
            bar.busy(backend.busy())
    except BaseException:
        backend.stop()
        raise


def _settle(
    driver: _Driver, outcome: Outcome, retries: int, queue: deque[Job], say: Warn
) -> Row | None:
    """The row of a finished attempt; None when it is retried or was cancelled."""
    job, result = outcome.job, outcome.attempt
    sub = job.submission
    if result.result is not None:
        return driver.record(sub, job.stamp, result.result, outcome.node)
    if result.sandbox is not None:
        raise SandboxError(result.sandbox)
    if result.refused is not None:
        return driver.fail(sub, result.refused)
    if result.fault is not None:
        if job.attempt <= retries:
            say(
                f"grading {job.label} failed: {result.fault}; retrying it "
                f"(attempt {job.attempt + 1} of {retries + 1})"
            )
            avoid = job.avoid + ((outcome.slot,) if outcome.slot else ())
            queue.appendleft(Job(sub, job.stamp, job.attempt + 1, avoid))
            return None
        return driver.fail(sub, f"{result.fault} (after {retries + 1} attempts)")
    return None  # cancelled


def _plan(
    subs: list[Submission],
    loaded: dict[str, Exercise],
    hashes: dict[str, tuple[str, str]],
    settings: str,
    journal: Journal,
    out: Path,
) -> tuple[dict[tuple[str, str], Row], list[tuple[Submission, Stamp]], int]:
    """Rows known without grading (missing files, unchanged grades) and the grades to run."""
    rows: dict[tuple[str, str], Row] = {}
    todo: list[tuple[Submission, Stamp]] = []
    reused = 0
    for sub in subs:
        ex = loaded[sub.exercise]
        key = (sub.student, sub.exercise)
        if sub.path is None:
            rows[key] = Row(sub.student, sub.exercise, 0.0, ex.spec.points, "missing", None)
            write_result(out, rows[key])
            journal.forget(*key)
            continue
        try:
            digest = _sha256(sub.path)
        except OSError as exc:
            print(f"error: cannot read {sub.path}: {exc.strerror}", file=sys.stderr)
            rows[key] = Row(sub.student, sub.exercise, None, ex.spec.points, "grader-error", None)
            continue
        stamp = Stamp(digest, *hashes[sub.exercise], settings)
        done = journal.lookup(sub.student, sub.exercise, stamp)
        if done is None:
            todo.append((sub, stamp))
            continue
        rows[key] = Row(
            sub.student,
            sub.exercise,
            done.score,
            done.max_score,
            done.status,
            done.result,
            done.node,
        )
        if not result_path(out, *key).is_file():  # removed by hand since: write it again
            write_result(out, rows[key])
        reused += 1
    return rows, todo, reused
