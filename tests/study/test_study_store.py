"""The progress store: SQLite in WAL mode, every write committed at once, per-course files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.study.paths import course_store_path, data_dir
from grader.study.store import AnswerRecord, ProgressStore

WHEN = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _answer(uid: str, qid: str = "fx-single", score: float = 1.0) -> AnswerRecord:
    return AnswerRecord(
        uid=uid,
        question_id=qid,
        bank="fx-basics",
        tags=("autograd",),
        qtype="single",
        mode="practice",
        session_id="s1",
        attempt=1,
        response=0,
        score=score,
        content_hash="h1",
        answered_at=WHEN,
        day="2025-01-06",
        lang="zh",
    )


def test_store_uses_wal_and_commits_each_answer(tmp_path: Path) -> None:
    """An answer is visible to another connection as soon as record_answer returns."""
    path = tmp_path / "p.sqlite3"
    store = ProgressStore(path)
    store.record_answer(_answer("a1"))
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert other.execute("SELECT question_id, score FROM answers").fetchall() == [
        ("fx-single", 1.0)
    ]
    other.close()
    store.close()


def test_answers_round_trip(tmp_path: Path) -> None:
    """What is stored comes back equal, tags and response included."""
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        record = _answer("a1")
        store.record_answer(record)
        assert store.answers() == [record]
        assert store.answers("other") == []


def test_data_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--data-dir wins over GRADER_DATA_DIR, which wins over the platform default."""
    monkeypatch.setenv("GRADER_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert course_store_path("c-1", tmp_path) == tmp_path / "c-1" / "progress.sqlite3"
    monkeypatch.delenv("GRADER_DATA_DIR")
    assert data_dir().name == "torch-grader"


def test_mark_outdated_keeps_history(tmp_path: Path) -> None:
    """Rows of an older content hash stay, flagged outdated; rows of the current hash do not."""
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_answer(_answer("a1"))
        assert store.mark_outdated("fx-single", "h2") == 1
        assert [a.outdated for a in store.answers()] == [True]
        assert store.mark_outdated("fx-single", "h2") == 0


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A store written by a newer grader is not silently downgraded."""
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer"):
        ProgressStore(path)
