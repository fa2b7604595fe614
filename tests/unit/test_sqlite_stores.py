"""The two SQLite files the grader keeps, the progress store and the batch journal, open the same
way: WAL, a 5 s busy timeout, their own ``synchronous`` level and a schema version that each
store handles its own way (the store refuses a newer one, the journal starts over)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from grader.batch.journal import Entry, Journal, Stamp
from grader.study.store import AnswerRecord, ProgressStore

STAMP = Stamp("s", "e", "c", "{}")
ENTRY = Entry(score=1.0, max_score=2.0, status="fail", result={"score": 1.0})


def _answer(uid: str) -> AnswerRecord:
    when = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    return AnswerRecord(
        uid=uid,
        question_id="fx-single",
        bank="fx-basics",
        tags=(),
        qtype="single",
        mode="practice",
        session_id=None,
        attempt=1,
        response=0,
        score=1.0,
        content_hash="h1",
        answered_at=when,
        day="2025-01-06",
        lang="en",
    )


def _open_store(path: Path) -> ProgressStore:
    return ProgressStore(path)


def _write_store(store: Any) -> None:
    store.record_answer(_answer("a1"))


def _write_journal(journal: Any) -> None:
    journal.record("alice", "add-one", STAMP, ENTRY)


STORES: list[tuple[str, Callable[[Path], Any], Callable[[Any], None], int]] = [
    ("progress", _open_store, _write_store, 1),  # synchronous=NORMAL
    ("journal", Journal, _write_journal, 2),  # synchronous=FULL
]


@pytest.mark.parametrize(
    ("opener", "synchronous"), [(s[1], s[3]) for s in STORES], ids=[s[0] for s in STORES]
)
def test_opened_in_wal_with_a_busy_timeout(
    opener: Callable[[Path], Any], synchronous: int, tmp_path: Path
) -> None:
    """The file is in WAL mode, and the connection waits 5 s for a lock and keeps its
    synchronous level (NORMAL for progress, FULL for the journal)."""
    path = tmp_path / "db.sqlite"
    store = opener(path)
    try:
        other = sqlite3.connect(path)
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA user_version").fetchone()[0] == 1
        other.close()
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == synchronous
    finally:
        store._db.close()


@pytest.mark.parametrize(
    ("opener", "write"), [(s[1], s[2]) for s in STORES], ids=[s[0] for s in STORES]
)
def test_a_write_waits_for_another_writer(
    opener: Callable[[Path], Any], write: Callable[[Any], None], tmp_path: Path
) -> None:
    """While another process holds the write lock, a write waits for it instead of failing
    with 'database is locked'."""
    path = tmp_path / "db.sqlite"
    store = opener(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        write(store)
    finally:
        release.join()
        other.close()
        store._db.close()


def test_a_progress_store_of_a_newer_grader_is_refused(tmp_path: Path) -> None:
    """A progress file with a newer schema is refused with a message naming it, not downgraded."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=2")
    db.close()
    with pytest.raises(sqlite3.DatabaseError) as error:
        ProgressStore(path)
    assert str(error.value) == (
        f"{path}: progress schema 2 is newer than this grader (1); upgrade torch-grader"
    )
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    db.close()


def test_a_journal_of_another_version_starts_over(tmp_path: Path) -> None:
    """A journal written by another grader version (newer or older) forgets its grades."""
    path = tmp_path / ".journal.sqlite"
    for other_version in (2, 0):
        journal = Journal(path)
        _write_journal(journal)
        assert journal.count() == 1
        journal._db.execute(f"PRAGMA user_version = {other_version}")
        journal._db.close()
        journal = Journal(path)
        assert journal.count() == 0
        assert journal._db.execute("PRAGMA user_version").fetchone()[0] == 1
        journal._db.close()


def test_a_journal_of_this_version_keeps_its_grades(tmp_path: Path) -> None:
    """Reopening a journal of this version keeps every grade."""
    path = tmp_path / ".journal.sqlite"
    journal = Journal(path)
    _write_journal(journal)
    journal._db.close()
    journal = Journal(path)
    assert journal.lookup("alice", "add-one", STAMP) == ENTRY
    journal._db.close()


@pytest.mark.parametrize("opener", [s[1] for s in STORES], ids=[s[0] for s in STORES])
def test_a_file_that_is_not_a_database_is_an_error(
    opener: Callable[[Path], Any], tmp_path: Path
) -> None:
    """A damaged file raises sqlite3.DatabaseError (the batch sets its journal aside)."""
    path = tmp_path / "db.sqlite"
    path.write_bytes(b"not a database " * 100)
    with pytest.raises(sqlite3.DatabaseError):
        opener(path)
