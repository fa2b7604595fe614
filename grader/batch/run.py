"""Grading a class: every submission through warm workers, journaled, into a gradebook."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from grader.batch.discover import Submission, discover
from grader.batch.gradebook import Row, write_gradebook, write_result, write_summary
from grader.batch.journal import Journal
from grader.course import Course, resolve_course
from grader.errors import GraderError
from grader.exercises.loader import exercise_ids, find_exercise
from grader.exercises.model import Exercise
from grader.runner.result import ExerciseResult, Reason

_SEVERITY = (Reason.POLICY, Reason.TIMEOUT, Reason.ERROR, Reason.FAILED)


def status_of(result: ExerciseResult) -> str:
    """The gradebook status: full, partial, failed, error, timeout, policy or skipped."""
    if result.incomplete:
        return "skipped"
    if result.full_marks:
        return "full"
    reasons = {t.reason for t in result.tests}
    worst = next(r for r in _SEVERITY if r in reasons)
    if worst is Reason.FAILED and result.score > 0:
        return "partial"
    return str(worst)


@dataclass(frozen=True)
class BatchReport:
    rows: list[Row]
    graded: int
    reused: int
    grader_errors: int
    warnings: list[str]
    seconds: float


def _key(sub: Submission, exercise: Exercise) -> str:
    h = hashlib.sha256()
    h.update(sub.path.read_bytes() if sub.path else b"<missing>")
    h.update(exercise.content_hash().encode())
    h.update(exercise.checks_hash("hidden").encode())
    return h.hexdigest()


class _Workers:
    """One warm worker per thread, restarted after a grader error."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[object] = []
        self._lock = threading.Lock()

    def get(self):  # type: ignore[no-untyped-def]
        from grader.runner.client import WarmWorker

        w = getattr(self._local, "worker", None)
        if w is None:
            w = WarmWorker()
            self._local.worker = w
            with self._lock:
                self._all.append(w)
        return w

    def reset(self) -> None:
        w = getattr(self._local, "worker", None)
        if w is not None:
            w.kill()
            self._local.worker = None

    def close(self) -> None:
        for w in self._all:
            w.close()  # type: ignore[attr-defined]


def run_batch(
    exercise: str,
    submissions: Path,
    out: Path,
    *,
    workers: int = 2,
    regrade: bool = False,
    course: Course | str | Path | None = None,
    timeout: float | None = None,
    retries: int = 2,
    show_progress: bool = True,
) -> BatchReport:
    """Grade every submission in ``submissions`` for ``exercise`` (or ``all``) into ``out``."""
    from grader.runner.api import grade_exercise

    started = time.monotonic()
    active = course if isinstance(course, Course) else resolve_course(course)
    if exercise == "all":
        ids = exercise_ids(active.exercises)
    else:
        ids = [find_exercise(exercise, active.exercises, active.solutions).id]
    loaded = {i: find_exercise(i, active.exercises, active.solutions) for i in ids}
    subs, warnings = discover(submissions, ids)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    journal = Journal(out / ".journal.sqlite")
    if regrade:
        journal.clear()
    rows: dict[tuple[str, str], Row] = {}
    todo: list[tuple[Submission, str]] = []
    reused = 0
    for sub in subs:
        ex = loaded[sub.exercise]
        if sub.path is None:
            rows[(sub.student, sub.exercise)] = Row(
                sub.student, sub.exercise, 0.0, ex.spec.points, "missing", None
            )
            continue
        key = _key(sub, ex)
        done = journal.lookup(sub.student, sub.exercise, key)
        if done is not None:
            rows[(sub.student, sub.exercise)] = Row(
                sub.student,
                sub.exercise,
                done["score"],
                done["max_score"],
                done["status"],
                done["result"],
            )
            reused += 1
        else:
            todo.append((sub, key))
    pool = _Workers()
    lock = threading.Lock()
    errors = 0

    def grade_one(sub: Submission, key: str) -> Row:
        ex = loaded[sub.exercise]
        last = ""
        for _ in range(retries + 1):
            try:
                result = grade_exercise(ex, sub.path, worker=pool.get(), timeout=timeout)  # type: ignore[arg-type]
            except GraderError as exc:
                last = exc.message
                pool.reset()
                continue
            doc = result.to_dict("en")
            row = Row(
                sub.student, sub.exercise, result.score, result.max_score, status_of(result), doc
            )
            journal.record(
                sub.student, sub.exercise, key, row.score, row.max_score, row.status, doc
            )
            write_result(out, row)
            return row
        print(f"error: grading {sub.student}/{sub.exercise} failed: {last}", file=sys.stderr)
        return Row(sub.student, sub.exercise, None, ex.spec.points, "grader-error", None)

    progress = _progress(len(todo), show_progress)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as executor:
            futures = [executor.submit(grade_one, sub, key) for sub, key in todo]
            for n, future in enumerate(as_completed(futures), 1):
                row = future.result()
                with lock:
                    rows[(row.student, row.exercise)] = row
                    errors += row.status == "grader-error"
                progress(n)
                if n % 25 == 0:
                    write_gradebook(out, list(rows.values()))
    finally:
        pool.close()
        progress(None)
        journal.close()
    final = list(rows.values())
    write_gradebook(out, final)
    write_summary(out, final)
    return BatchReport(final, len(todo), reused, errors, warnings, time.monotonic() - started)


def _progress(total: int, show: bool):  # type: ignore[no-untyped-def]
    """A rich progress bar on stderr with throughput; a no-op when not shown."""
    if not show or total == 0:
        return lambda n: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    task = bar.add_task("grading", total=total, rate="")
    bar.start()
    started = time.monotonic()

    def update(n: int | None) -> None:
        if n is None:
            bar.stop()
            return
        rate = n / max(1e-6, time.monotonic() - started)
        bar.update(task, completed=n, rate=f"{rate:.1f} submissions/s")

    return update
