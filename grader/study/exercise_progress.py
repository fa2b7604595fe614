"""Provides the code-exercise part of the progress store: every graded run, and each exercise's
status derived from them.

The tables live in the course's progress database (:class:`grader.study.store.ProgressStore`);
:func:`ensure_tables` adds them to a store of any age (``CREATE TABLE IF NOT EXISTS``), so a
database made before code exercises existed gains them on first use. Every run is committed the
moment it is graded.

Tables:

- ``exercise_runs``: one row per graded run: public checks ("Run checks") or hidden checks
  ("Submit"), with the score, the device and the hashes of what was graded.
- ``exercise_starts``: when the learner first changed the starter of an exercise.
- ``exercise_run_hints``: the hints shown on the exercise screen before a run (by the run's
  ``uid``; runs without a row had none), a table of its own so stores of any age gain it.

Status of an exercise, highest first (:data:`STATUSES`):

- ``accepted``: a submission (hidden checks) got full marks; permanent.
- ``public_pass``: the latest run of the public checks passed them all.
- ``in_progress``: the learner changed the starter, or ran anything.
- ``not_started``: nothing yet.

The best score is the highest hidden-check score of a complete run (a run whose checks were
skipped, e.g. a CUDA exercise without a GPU, scores nothing and is not counted).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from grader.study.exercise_review import (
    export_review_rows,
    import_review_rows,
    reset_reviews,
    review_stats,
)
from grader.study.store import ProgressStore

if TYPE_CHECKING:
    from grader.runner.result import ExerciseResult

__all__ = [
    "STATUSES",
    "ExerciseRun",
    "ExerciseState",
    "ExerciseStatus",
    "ensure_tables",
    "exercise_stats",
    "exercise_states",
    "export_exercise_rows",
    "import_exercise_rows",
    "mark_started",
    "record_result",
    "reset_exercises",
    "runs",
]

ExerciseStatus = Literal["not_started", "in_progress", "public_pass", "accepted"]
STATUSES: tuple[ExerciseStatus, ...] = ("not_started", "in_progress", "public_pass", "accepted")
"""Every status, lowest first."""

_TABLES = (
    """CREATE TABLE IF NOT EXISTS exercise_runs (
        uid TEXT PRIMARY KEY,
        exercise_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        full_marks INTEGER NOT NULL,
        incomplete INTEGER NOT NULL,
        device TEXT NOT NULL,
        exercise_hash TEXT NOT NULL,
        checks_hash TEXT NOT NULL,
        submission_hash TEXT NOT NULL,
        ran_at TEXT NOT NULL,
        day TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS exercise_runs_exercise ON exercise_runs(exercise_id)",
    """CREATE TABLE IF NOT EXISTS exercise_starts (
        exercise_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exercise_run_hints (
        uid TEXT PRIMARY KEY,
        hints INTEGER NOT NULL
    )""",
)


@dataclass(frozen=True)
class ExerciseRun:
    """One graded run of a learner's file."""

    uid: str
    exercise_id: str
    kind: Literal["hidden", "public"]
    """``public``: "Run checks"; ``hidden``: "Submit"."""
    score: float
    max_score: float
    full_marks: bool
    incomplete: bool
    """Some checks were skipped (e.g. no GPU); the score does not count."""
    device: str
    """Where the checks ran: cpu or cuda."""
    exercise_hash: str
    checks_hash: str
    submission_hash: str
    ran_at: datetime
    """When (UTC)."""
    day: str
    """The learner's local day, ``YYYY-MM-DD``."""
    hints: int = 0
    """Hints shown on the exercise screen before this run."""


@dataclass(frozen=True)
class ExerciseState:
    """Where a learner stands with one exercise."""

    exercise_id: str
    status: ExerciseStatus
    best_score: float | None
    """Highest hidden-check score of a complete run; None before the first submission."""
    max_score: float | None
    """The points of the submission that scored best (None before the first submission)."""
    submissions: int
    """Runs of the hidden checks."""
    check_runs: int
    """Runs of the public checks."""
    accepted_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "best_score": self.best_score,
            "max_score": self.max_score,
            "submissions": self.submissions,
            "check_runs": self.check_runs,
            "accepted_at": None if self.accepted_at is None else self.accepted_at.isoformat(),
        }


def ensure_tables(store: ProgressStore) -> None:
    """Add the exercise tables to ``store`` when they are missing (safe to call every time)."""
    with store.transaction() as db:
        for statement in _TABLES:
            db.execute(statement)


def record_result(
    store: ProgressStore, result: ExerciseResult, ran_at: datetime, day: date, hints: int = 0
) -> ExerciseRun:
    """Store a graded run (committed before this returns) and return it; ``hints``: the hints
    shown before it."""
    run = ExerciseRun(
        uid=uuid.uuid4().hex,
        exercise_id=result.exercise,
        kind=result.kind,
        score=result.score,
        max_score=result.max_score,
        full_marks=result.full_marks,
        incomplete=result.incomplete,
        device=result.provenance.device,
        exercise_hash=result.provenance.exercise_hash,
        checks_hash=result.provenance.checks_hash,
        submission_hash=result.provenance.submission_hash,
        ran_at=ran_at,
        day=day.isoformat(),
        hints=hints,
    )
    ensure_tables(store)
    with store.transaction() as db:
        _insert_run(db, run)
    return run


def mark_started(store: ProgressStore, exercise_id: str, when: datetime) -> None:
    """Note that the learner has begun ``exercise_id`` (the first time only)."""
    ensure_tables(store)
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO exercise_starts VALUES (?, ?)", (exercise_id, when.isoformat())
        )


def runs(store: ProgressStore, exercise_id: str | None = None) -> list[ExerciseRun]:
    """Every stored run (of one exercise when given), oldest first."""
    ensure_tables(store)
    sql = (
        "SELECT exercise_runs.*, COALESCE(exercise_run_hints.hints, 0) AS hints"
        " FROM exercise_runs LEFT JOIN exercise_run_hints USING (uid)"
    )
    args: tuple[str, ...] = ()
    if exercise_id is not None:
        sql += " WHERE exercise_id = ?"
        args = (exercise_id,)
    with store.transaction() as db:
        rows = db.execute(sql + " ORDER BY ran_at, exercise_runs.rowid", args).fetchall()
    return [
        ExerciseRun(
            uid=row["uid"],
            exercise_id=row["exercise_id"],
            kind=row["kind"],
            score=row["score"],
            max_score=row["max_score"],
            full_marks=bool(row["full_marks"]),
            incomplete=bool(row["incomplete"]),
            device=row["device"],
            exercise_hash=row["exercise_hash"],
            checks_hash=row["checks_hash"],
            submission_hash=row["submission_hash"],
            ran_at=datetime.fromisoformat(row["ran_at"]),
            day=row["day"],
            hints=int(row["hints"]),
        )
        for row in rows
    ]


def _started(store: ProgressStore) -> set[str]:
    ensure_tables(store)
    with store.transaction() as db:
        return {row[0] for row in db.execute("SELECT exercise_id FROM exercise_starts")}


def _state(exercise_id: str, own_runs: list[ExerciseRun], started: bool) -> ExerciseState:
    hidden = [r for r in own_runs if r.kind == "hidden"]
    public = [r for r in own_runs if r.kind == "public"]
    accepted = [r for r in hidden if r.full_marks]
    scored = [r for r in hidden if not r.incomplete]
    best = max(scored, key=lambda r: (r.score, r.ran_at)) if scored else None
    status: ExerciseStatus
    if accepted:
        status = "accepted"
    elif public and public[-1].full_marks:
        status = "public_pass"
    elif started or own_runs:
        status = "in_progress"
    else:
        status = "not_started"
    return ExerciseState(
        exercise_id=exercise_id,
        status=status,
        best_score=None if best is None else best.score,
        max_score=None if best is None else best.max_score,
        submissions=len(hidden),
        check_runs=len(public),
        accepted_at=accepted[0].ran_at if accepted else None,
    )


def exercise_states(
    store: ProgressStore, exercise_ids: Iterable[str] | None = None
) -> dict[str, ExerciseState]:
    """The state of each exercise of ``exercise_ids`` (every exercise the store knows of when
    None), in the given order (sorted when None)."""
    by_id: dict[str, list[ExerciseRun]] = {}
    for run in runs(store):
        by_id.setdefault(run.exercise_id, []).append(run)
    started = _started(store)
    ids = list(exercise_ids) if exercise_ids is not None else sorted(set(by_id) | started)
    return {i: _state(i, by_id.get(i, []), i in started) for i in ids}


def exercise_stats(store: ProgressStore, now: datetime | None = None) -> dict[str, Any]:
    """The exercise part of ``grader stats --format json``.

    ``{"started": int, "public_pass": int, "accepted": int, "submissions": int,
    "check_runs": int, "by_exercise": {id: {"status", "best_score", "max_score", "submissions",
    "check_runs", "accepted_at"}}}``; ``started`` counts every exercise past ``not_started``.
    With ``now``, also the spaced review's ``scheduled``, ``due``, ``reviews`` and
    ``review_hints`` (see :func:`grader.study.exercise_review.review_stats`).
    """
    states = exercise_states(store)
    extra = {} if now is None else review_stats(store, now)
    return {
        **extra,
        "started": sum(s.status != "not_started" for s in states.values()),
        "public_pass": sum(s.status == "public_pass" for s in states.values()),
        "accepted": sum(s.status == "accepted" for s in states.values()),
        "submissions": sum(s.submissions for s in states.values()),
        "check_runs": sum(s.check_runs for s in states.values()),
        "by_exercise": {i: s.as_dict() for i, s in states.items()},
    }


def reset_exercises(store: ProgressStore) -> int:
    """Delete every exercise run and start mark of this course; returns the runs deleted."""
    ensure_tables(store)
    with store.transaction() as db:
        deleted = db.execute("DELETE FROM exercise_runs").rowcount
        db.execute("DELETE FROM exercise_starts")
        db.execute("DELETE FROM exercise_run_hints")
    reset_reviews(store)
    return int(deleted)


def export_exercise_rows(store: ProgressStore) -> dict[str, list[dict[str, Any]]]:
    """The exercise tables as JSON data, for ``grader progress export``:
    ``{"exercise_runs": [...], "exercise_starts": [{"exercise_id", "started_at"}]}``."""
    exported = []
    for run in runs(store):
        row = asdict(run)
        row["ran_at"] = run.ran_at.isoformat()
        exported.append(row)
    ensure_tables(store)
    with store.transaction() as db:
        starts = [
            {"exercise_id": row[0], "started_at": row[1]}
            for row in db.execute("SELECT exercise_id, started_at FROM exercise_starts")
        ]
    return {"exercise_runs": exported, "exercise_starts": starts, **export_review_rows(store)}


def import_exercise_rows(store: ProgressStore, data: dict[str, Any]) -> dict[str, int]:
    """Merge the exercise part of a progress export (runs by ``uid``, starts by exercise; rows
    already present are kept). Returns the rows added per table.

    Raises:
        ValueError: a row is malformed (the message says which).
    """
    names = {f.name for f in fields(ExerciseRun)}
    loaded: list[ExerciseRun] = []
    for i, row in enumerate(_rows(data, "exercise_runs")):
        where = f"exercise_runs[{i}]"
        if not isinstance(row, dict) or not names - {"hints"} <= set(row) <= names:
            # "hints" may be missing: exports made before hint counts have none
            raise ValueError(f"{where}: expected an object with {', '.join(sorted(names))}")
        try:
            loaded.append(ExerciseRun(**{**row, "ran_at": datetime.fromisoformat(row["ran_at"])}))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
    starts = []
    for i, row in enumerate(_rows(data, "exercise_starts")):
        if not isinstance(row, dict) or set(row) != {"exercise_id", "started_at"}:
            raise ValueError(
                f"exercise_starts[{i}]: expected an object with exercise_id, started_at"
            )
        starts.append((str(row["exercise_id"]), str(row["started_at"])))
    ensure_tables(store)
    review_added = import_review_rows(store, data)  # validates all of its rows before writing
    added: dict[str, int] = {"exercise_runs": 0, "exercise_starts": 0}
    with store.transaction() as db:
        for run in loaded:
            added["exercise_runs"] += _insert_run(db, run)
        for start in starts:
            added["exercise_starts"] += db.execute(
                "INSERT OR IGNORE INTO exercise_starts VALUES (?, ?)", start
            ).rowcount
    added.update(review_added)
    return added


def _rows(data: dict[str, Any], key: str) -> list[Any]:
    rows = data.get(key, [])
    if not isinstance(rows, list):
        raise ValueError(f"{key}: expected a list")
    return rows


def _insert_run(db: Any, run: ExerciseRun) -> int:
    """Insert a run and its hint count unless its uid is stored; returns the rows added."""
    added = db.execute(
        "INSERT OR IGNORE INTO exercise_runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", _run_row(run)
    ).rowcount
    if added and run.hints:
        db.execute("INSERT OR IGNORE INTO exercise_run_hints VALUES (?, ?)", (run.uid, run.hints))
    return int(added)


def _run_row(run: ExerciseRun) -> tuple[Any, ...]:
    return (
        run.uid,
        run.exercise_id,
        run.kind,
        float(run.score),
        float(run.max_score),
        int(run.full_marks),
        int(run.incomplete),
        run.device,
        run.exercise_hash,
        run.checks_hash,
        run.submission_hash,
        run.ran_at.isoformat(),
        run.day,
    )
