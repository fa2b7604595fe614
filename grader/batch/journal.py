"""The batch journal: one SQLite row per finished grade, so a killed batch resumes without regrading.

A grade is keyed by student and exercise, and stamped with the hashes of the submission, the
exercise and its checks (plus the grading settings). A later run reuses it only when every stamp
still matches, so a changed submission or a changed check is graded again. Each row is written
in its own transaction (WAL, ``synchronous=FULL``) after the grade finished: a SIGKILL loses at
most the grades in flight, never half a row, and the primary key makes a second row for the
same student and exercise impossible.

Only real grades are journaled. A grader error is not (the next run retries it), nor is a grade
whose checks were all skipped (a later run on a machine with a GPU should grade it).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.database import open_database

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS grades (
    student TEXT NOT NULL,
    exercise TEXT NOT NULL,
    submission_hash TEXT NOT NULL,
    exercise_hash TEXT NOT NULL,
    checks_hash TEXT NOT NULL,
    settings TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    result TEXT NOT NULL,
    graded_at REAL NOT NULL,
    PRIMARY KEY (student, exercise)
);
CREATE TABLE IF NOT EXISTS graded_by (
    student TEXT NOT NULL,
    exercise TEXT NOT NULL,
    node TEXT NOT NULL,
    graded_at REAL NOT NULL,
    PRIMARY KEY (student, exercise)
);
"""
"""``graded_by`` names the node that made each grade (for the summary). It is a table of its own,
so a grader without it still reads and writes the journal; a row counts only while its
``graded_at`` is the grade's."""


def _start_over(db: sqlite3.Connection, version: int) -> None:
    """A journal from another grader version: its stamps mean nothing here."""
    db.execute("DROP TABLE IF EXISTS grades")
    db.execute("DROP TABLE IF EXISTS graded_by")


@dataclass(frozen=True)
class Stamp:
    """What a grade depends on: when any part changes, the grade is stale."""

    submission_hash: str
    exercise_hash: str
    checks_hash: str
    settings: str
    """The grading settings that change a result (time limit cap, language)."""


@dataclass(frozen=True)
class Entry:
    """A finished grade read back from the journal."""

    score: float
    max_score: float
    status: str
    result: dict[str, Any]
    node: str | None = None
    """The node that graded it (the host name locally, ``ip/node-id`` on Ray), when known."""


class Journal:
    """Finished grades of one output folder; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(
            path,
            schema=_SCHEMA,
            version=SCHEMA_VERSION,
            synchronous="FULL",
            on_other_version=_start_over,
            threads=True,
        )

    def lookup(self, student: str, exercise: str, stamp: Stamp) -> Entry | None:
        """The finished grade of this student and exercise if its stamp still matches."""
        with self._lock:
            row = self._db.execute(
                "SELECT g.score, g.max_score, g.status, g.result, n.node FROM grades g "
                "LEFT JOIN graded_by n ON n.student = g.student AND n.exercise = g.exercise "
                "AND n.graded_at = g.graded_at WHERE g.student = ? AND g.exercise = ? AND "
                "g.submission_hash = ? AND g.exercise_hash = ? AND g.checks_hash = ? AND "
                "g.settings = ?",
                (
                    student,
                    exercise,
                    stamp.submission_hash,
                    stamp.exercise_hash,
                    stamp.checks_hash,
                    stamp.settings,
                ),
            ).fetchone()
        if row is None:
            return None
        return Entry(
            score=row[0], max_score=row[1], status=row[2], result=json.loads(row[3]), node=row[4]
        )

    def record(self, student: str, exercise: str, stamp: Stamp, entry: Entry) -> None:
        """Store (or replace) the grade of one student and exercise in one transaction."""
        graded_at = time.time()
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO grades VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    student,
                    exercise,
                    stamp.submission_hash,
                    stamp.exercise_hash,
                    stamp.checks_hash,
                    stamp.settings,
                    entry.score,
                    entry.max_score,
                    entry.status,
                    json.dumps(entry.result, ensure_ascii=False),
                    graded_at,
                ),
            )
            if entry.node is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO graded_by VALUES (?, ?, ?, ?)",
                    (student, exercise, entry.node, graded_at),
                )

    def forget(self, student: str, exercise: str) -> None:
        """Drop the grade of one student and exercise (its submission is gone or failed)."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            for table in ("grades", "graded_by"):
                self._db.execute(
                    f"DELETE FROM {table} WHERE student = ? AND exercise = ?", (student, exercise)
                )

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM grades").fetchone()[0])

    def clear(self) -> None:
        """Forget every grade (``--regrade``)."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM grades")
            self._db.execute("DELETE FROM graded_by")

    def close(self) -> None:
        with self._lock:
            self._db.close()
