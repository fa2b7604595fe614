"""Grading a class: every submission through warm workers, journaled, into a gradebook.

    from grader.batch.run import run_batch
    report = run_batch("add-one", Path("class"), Path("out"), workers=2)
    report.rows, report.exit_code

Each worker thread owns one warm worker process (torch imported once) that forks a sandboxed
child per check. Everything about one grade is decided before the next: its JSON is written,
then its journal row; the gradebook is rewritten from all rows now and then and at the end.
A failure of the grader (a worker that cannot start or dies) is retried on a fresh worker and,
when every attempt fails, recorded as ``grader-error`` with no score and no journal row, so the
next run grades it again.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

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
from grader.batch.workers import WorkerFactory, WorkerPool, default_worker
from grader.course import Course, resolve_course
from grader.errors import GraderError, SandboxError, UsageError
from grader.exercises.loader import exercise_ids, find_exercise
from grader.exercises.model import Exercise
from grader.i18n import Lang
from grader.runner.result import ExerciseResult

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


def preflight_sandbox(require_sandbox: bool | str | None) -> None:
    """Refuse a batch (SandboxError) before it writes anything when the sandbox this machine
    offers does not meet ``require_sandbox``; each grade checks its own worker again."""
    from grader.runner.api import check_sandbox
    from grader.sandbox.os.layers import available_layers

    check_sandbox({"layers": available_layers()}, require_sandbox)


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


class _Grader:
    """Grades one submission at a time per thread: retries grader failures on a fresh worker,
    writes the result JSON, then the journal row."""

    def __init__(
        self,
        *,
        loaded: dict[str, Exercise],
        out: Path,
        journal: Journal,
        pool: WorkerPool,
        lang: Lang,
        timeout: float | None,
        retries: int,
        require_sandbox: bool | str | None,
    ) -> None:
        self.loaded = loaded
        self.out = out
        self.journal = journal
        self.pool = pool
        self.lang: Lang = lang
        self.timeout = timeout
        self.retries = retries
        self.require_sandbox = require_sandbox
        self.stop = threading.Event()
        """Set to cancel every grade in flight (Ctrl-C, SIGTERM, a missing sandbox layer)."""
        self.attempts: dict[tuple[str, str], int] = {}

    def grade(self, sub: Submission, stamp: Stamp) -> Row | None:
        """The row of one submission; None when the batch was stopped first."""
        from grader.runner.api import grade_exercise
        from grader.runner.client import Cancelled

        assert sub.path is not None
        last = "no attempt was made"
        for attempt in range(1, self.retries + 2):
            if self.stop.is_set():
                return None
            self.attempts[(sub.student, sub.exercise)] = attempt
            try:
                result = grade_exercise(
                    self.loaded[sub.exercise],
                    sub.path,
                    worker=self.pool.get(),
                    timeout=self.timeout,
                    cancel=self.stop,
                    require_sandbox=self.require_sandbox,
                )
            except Cancelled:
                self.pool.discard()
                return None
            except SandboxError:  # --require-sandbox on a machine that lacks a layer
                self.stop.set()
                raise
            except UsageError as exc:  # the file vanished or changed kind: not retried
                return self.fail(sub, exc.message)
            except GraderError as exc:
                last = exc.message
                self.pool.discard()
                continue
            except Exception as exc:  # any fault of ours is a grader error
                last = f"{type(exc).__name__}: {exc}"
                self.pool.discard()
                continue
            return self.record(sub, stamp, result)
        return self.fail(sub, f"{last} (after {self.retries + 1} attempts)")

    def record(self, sub: Submission, stamp: Stamp, result: ExerciseResult) -> Row:
        status = status_of(result)
        score = None if status in NO_SCORE else result.score
        doc = result.to_dict(self.lang)
        row = Row(sub.student, sub.exercise, score, result.max_score, status, doc)
        write_result(self.out, row)  # the JSON first: a journaled grade always has its JSON
        if status == "skipped":  # a machine with a GPU should grade it: not journaled
            self.journal.forget(sub.student, sub.exercise)
        else:
            entry = Entry(result.score, result.max_score, status, doc)
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


def run_batch(
    exercise: str,
    submissions: Path,
    out: Path,
    *,
    workers: int = 2,
    regrade: bool = False,
    course: Course | str | Path | None = None,
    timeout: float | None = None,
    lang: Lang = "en",
    retries: int = 2,
    require_sandbox: bool | str | None = False,
    show_progress: bool = True,
    worker_factory: WorkerFactory | None = None,
    warn: Warn | None = None,
) -> BatchReport:
    """Grade every submission in ``submissions`` for ``exercise`` (an id, or ``all``) into ``out``.

    Raises UsageError (exit 2) before grading starts for an unknown exercise, a missing folder,
    a student present twice (``alice.py`` and ``alice/``), or an OUT another batch holds.
    ``worker_factory`` makes the grading workers (default: a ``WarmWorker`` per thread);
    ``retries`` is how many times a grader failure is retried on a fresh worker. With
    ``require_sandbox`` a missing sandbox layer stops the whole batch with SandboxError (exit 4)
    before anything is graded without it.
    """
    started = time.monotonic()
    say: Warn = warn or (lambda text: print(f"warning: {text}", file=sys.stderr))
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    active = course if isinstance(course, Course) else resolve_course(course)
    ids, loaded = _resolve_exercises(exercise, active)
    check_out(out, submissions)
    if require_sandbox:
        preflight_sandbox(require_sandbox)  # before anything is written to OUT
    if active.bundled_exercises:
        say(BUNDLED_WARNING)
    subs, warnings = discover(submissions, ids, exercise_ids(active.exercises))
    for text in warnings:
        say(text)
    settings = json.dumps({"kind": "hidden", "timeout": timeout, "lang": lang}, sort_keys=True)
    hashes = {i: (ex.content_hash(), ex.checks_hash("hidden")) for i, ex in loaded.items()}
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        remove_leftovers(out)
        journal = open_journal(out, say)
        try:
            if regrade:
                journal.clear()
            rows, todo, reused = _plan(subs, loaded, hashes, settings, journal, out)
            grader = _Grader(
                loaded=loaded,
                out=out,
                journal=journal,
                pool=WorkerPool(worker_factory or default_worker),
                lang=lang,
                timeout=timeout,
                retries=retries,
                require_sandbox=require_sandbox,
            )
            bar = progress_bar(len(todo), reused, show_progress)
            try:
                _grade_all(grader, todo, rows, bar, workers)
            finally:
                bar.close()
                # What is graded is kept, even when interrupted: the gradebook lists it.
                write_gradebook(out, list(rows.values()))
                write_junit(out, list(rows.values()), lang)
        finally:
            journal.close()
        final = sorted(rows.values(), key=lambda r: (r.student, r.exercise))
        write_summary(out, final)
    return BatchReport(
        rows=final,
        graded=len(todo),
        reused=reused,
        grader_errors=sum(r.status == "grader-error" for r in final),
        warnings=warnings,
        seconds=time.monotonic() - started,
        out=out,
        attempts=dict(grader.attempts),
    )


def _grade_all(
    grader: _Grader,
    todo: list[tuple[Submission, Stamp]],
    rows: dict[tuple[str, str], Row],
    bar: ProgressBar,
    workers: int,
) -> None:
    """Grade ``todo`` on ``workers`` threads into ``rows``, rewriting the gradebook now and then.

    Ctrl-C (or SIGTERM through the CLI) cancels the grades in flight and those not started.
    """
    executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="grade")
    futures: list[Future[Row | None]] = []
    new = 0
    try:
        futures = [executor.submit(grader.grade, sub, stamp) for sub, stamp in todo]
        for future in as_completed(futures):
            row = future.result()
            if row is None:
                continue
            rows[(row.student, row.exercise)] = row
            new += 1
            bar.advance(row.status)
            if new % REWRITE_EVERY == 0:
                write_gradebook(grader.out, list(rows.values()))
    except BaseException:
        grader.stop.set()
        for future in futures:
            future.cancel()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        grader.pool.close()


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
            sub.student, sub.exercise, done.score, done.max_score, done.status, done.result
        )
        if not result_path(out, *key).is_file():  # removed by hand since: write it again
            write_result(out, rows[key])
        reused += 1
    return rows, todo, reused
