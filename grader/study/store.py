"""Provides the progress store: one SQLite database (WAL) per course and learner.

Every write is its own committed transaction, made the moment the learner acts, so a killed app
loses nothing: an answer is a row in ``answers`` as soon as it is graded, an exam's responses,
flags and elapsed time are in ``sessions`` after every change. WAL with ``synchronous=NORMAL``
keeps each commit cheap and survives the death of the process (only a power cut can undo the
last commits).

Tables:

- ``answers``: every graded answer (practice and review at once; an exam's when it is submitted),
  with the bank and tags it had then, so the stats need no bank.
- ``cards`` and ``review_logs``: the FSRS state of each question and its rating history.
- ``sessions``: quiz sessions (an unfinished exam is ``active`` until submitted).
- ``answer_hints``: how many hints were shown before an answer (by the answer's ``uid``; answers
  without a row had none). A table of its own, added with ``CREATE TABLE IF NOT EXISTS``, so a
  store of any age gains it on opening and an older grader still writes ``answers`` as before.

Rows that belong to an older version of a question (its content hash changed) keep their data
and get ``outdated = 1``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.database import open_database

__all__ = ["AnswerRecord", "ProgressStore", "ReviewRecord", "SessionRow", "StoredCard"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    uid TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    bank TEXT NOT NULL,
    tags TEXT NOT NULL,
    qtype TEXT NOT NULL,
    mode TEXT NOT NULL,
    session_id TEXT,
    attempt INTEGER NOT NULL,
    response TEXT NOT NULL,
    score REAL NOT NULL,
    content_hash TEXT NOT NULL,
    outdated INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT NOT NULL,
    day TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_question ON answers(question_id);
CREATE INDEX IF NOT EXISTS answers_day ON answers(day);
CREATE TABLE IF NOT EXISTS cards (
    question_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_logs (
    uid TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    score REAL NOT NULL,
    reviewed_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    outdated INTEGER NOT NULL DEFAULT 0,
    log TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_logs_question ON review_logs(question_id);
CREATE TABLE IF NOT EXISTS answer_hints (
    uid TEXT PRIMARY KEY,
    hints INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS learner (
    id TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class AnswerRecord:
    """One graded answer."""

    uid: str
    """Random unique id (keeps rows distinct across export and import)."""
    question_id: str
    bank: str
    """The bank the question was in when answered."""
    tags: tuple[str, ...]
    qtype: str
    """The question's type (single, multiple, ...)."""
    mode: str
    """practice, exam or review."""
    session_id: str | None
    attempt: int
    """1 for the first try at this question in its session, 2 for the first retry, ..."""
    response: Any
    """The learner's response, JSON data in the bank engine's terms (option indices, text, ...)."""
    score: float
    """Credit in [0, 1]."""
    content_hash: str
    """Hash of the question's content when answered."""
    answered_at: datetime
    """When (UTC)."""
    day: str
    """The learner's local day, ``YYYY-MM-DD`` (for the streak)."""
    lang: str
    outdated: bool = False
    """True once the question's content changed after this answer."""
    hints: int = 0
    """Hints shown before this answer (kept in the ``answer_hints`` table)."""


@dataclass(frozen=True)
class StoredCard:
    """The FSRS card of one question as stored."""

    question_id: str
    card: dict[str, Any]
    """``fsrs.Card.to_dict()``."""
    content_hash: str
    updated_at: datetime


@dataclass(frozen=True)
class ReviewRecord:
    """One FSRS review (a rating given to a card)."""

    uid: str
    question_id: str
    rating: int
    """``fsrs.Rating`` value: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    score: float
    reviewed_at: datetime
    content_hash: str
    log: dict[str, Any] = field(default_factory=dict)
    """``fsrs.ReviewLog.to_dict()``."""
    outdated: bool = False


@dataclass(frozen=True)
class SessionRow:
    """A stored quiz session."""

    id: str
    mode: str
    status: str
    """``active`` or ``submitted``."""
    created_at: datetime
    updated_at: datetime
    state: dict[str, Any]


class ProgressStore:
    """A learner's progress for one course, in one SQLite file.

    Args:
        path: The database file; its folder is created when missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = open_database(
            self.path,
            schema=_SCHEMA,
            version=SCHEMA_VERSION,
            synchronous="NORMAL",
            on_other_version=self._refuse_newer,
        )
        self._db.row_factory = sqlite3.Row

    def _refuse_newer(self, db: sqlite3.Connection, version: int) -> None:
        """A store of an older grader (or a new file) gets the tables it lacks; a newer one is
        not silently downgraded."""
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"{self.path}: progress schema {version} is newer than this grader "
                f"({SCHEMA_VERSION}); upgrade torch-grader"
            )

    def close(self) -> None:
        """Close the connection (the data is already committed)."""
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run several statements as one committed transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- answers ---------------------------------------------------------------------------

    def record_answer(self, record: AnswerRecord) -> None:
        """Store a graded answer (committed before this returns)."""
        with self.transaction() as db:
            _insert_answer(db, record)

    def answers(self, question_id: str | None = None) -> list[AnswerRecord]:
        """Every stored answer (of one question when given), oldest first."""
        sql = (
            "SELECT answers.*, COALESCE(answer_hints.hints, 0) AS hints FROM answers"
            " LEFT JOIN answer_hints USING (uid)"
        )
        args: tuple[str, ...] = ()
        if question_id is not None:
            sql += " WHERE question_id = ?"
            args = (question_id,)
        rows = self._db.execute(sql + " ORDER BY answered_at, answers.rowid", args).fetchall()
        return [_answer_from_row(row) for row in rows]

    # -- FSRS cards and reviews ------------------------------------------------------------

    def card(self, question_id: str) -> StoredCard | None:
        """The stored card of a question, or None before its first review."""
        row = self._db.execute(
            "SELECT * FROM cards WHERE question_id = ?", (question_id,)
        ).fetchone()
        return _card_from_row(row) if row else None

    def cards(self) -> dict[str, StoredCard]:
        """Every stored card by question id."""
        rows = self._db.execute("SELECT * FROM cards").fetchall()
        return {row["question_id"]: _card_from_row(row) for row in rows}

    def save_review(self, card: StoredCard, review: ReviewRecord | None) -> None:
        """Store a card and the review that produced it, in one transaction."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO cards VALUES (?,?,?,?)",
                (
                    card.question_id,
                    json.dumps(card.card),
                    card.content_hash,
                    card.updated_at.isoformat(),
                ),
            )
            if review is not None:
                db.execute(
                    "INSERT OR IGNORE INTO review_logs VALUES (?,?,?,?,?,?,?,?)",
                    _review_row(review),
                )

    def reviews(self, question_id: str | None = None) -> list[ReviewRecord]:
        """Every stored review (of one question when given), oldest first."""
        sql = "SELECT * FROM review_logs"
        args: tuple[str, ...] = ()
        if question_id is not None:
            sql += " WHERE question_id = ?"
            args = (question_id,)
        rows = self._db.execute(sql + " ORDER BY reviewed_at, rowid", args).fetchall()
        return [_review_from_row(row) for row in rows]

    def mark_outdated(self, question_id: str, current_hash: str) -> int:
        """Mark the history of a question whose content changed; returns the rows marked.

        Answers and reviews made against another content hash keep their data and get
        ``outdated = 1``; the question's card is dropped so that it starts afresh.
        """
        with self.transaction() as db:
            marked = db.execute(
                "UPDATE answers SET outdated = 1 WHERE question_id = ? AND content_hash != ?"
                " AND outdated = 0",
                (question_id, current_hash),
            ).rowcount
            marked += db.execute(
                "UPDATE review_logs SET outdated = 1 WHERE question_id = ? AND content_hash != ?"
                " AND outdated = 0",
                (question_id, current_hash),
            ).rowcount
            db.execute(
                "DELETE FROM cards WHERE question_id = ? AND content_hash != ?",
                (question_id, current_hash),
            )
        return marked

    def known_hashes(self) -> dict[str, set[str]]:
        """Content hashes seen per question (in answers, reviews and cards) not yet outdated."""
        found: dict[str, set[str]] = {}
        for sql in (
            "SELECT DISTINCT question_id, content_hash FROM answers WHERE outdated = 0",
            "SELECT DISTINCT question_id, content_hash FROM review_logs WHERE outdated = 0",
            "SELECT question_id, content_hash FROM cards",
        ):
            for qid, digest in self._db.execute(sql):
                found.setdefault(qid, set()).add(digest)
        return found

    # -- sessions --------------------------------------------------------------------------

    def save_session(
        self, session_id: str, mode: str, status: str, state: dict[str, Any], now: datetime
    ) -> None:
        """Create or replace a session's state (committed before this returns)."""
        self._db.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "status = excluded.status, updated_at = excluded.updated_at, state = excluded.state",
            (session_id, mode, status, now.isoformat(), now.isoformat(), json.dumps(state)),
        )

    def session(self, session_id: str) -> SessionRow | None:
        """A stored session, or None."""
        row = self._db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return _session_from_row(row) if row else None

    def active_session(self, mode: str) -> SessionRow | None:
        """The most recently updated unfinished session of ``mode``, or None."""
        row = self._db.execute(
            "SELECT * FROM sessions WHERE mode = ? AND status = 'active'"
            " ORDER BY updated_at DESC LIMIT 1",
            (mode,),
        ).fetchone()
        return _session_from_row(row) if row else None

    def sessions(self) -> list[SessionRow]:
        """Every stored session, oldest first."""
        rows = self._db.execute("SELECT * FROM sessions ORDER BY created_at").fetchall()
        return [_session_from_row(row) for row in rows]

    # -- whole store -----------------------------------------------------------------------

    def import_rows(
        self,
        answers: list[AnswerRecord],
        reviews: list[ReviewRecord],
        cards: list[StoredCard],
        sessions: list[SessionRow],
    ) -> dict[str, int]:
        """Merge rows into the store: rows already present (same uid or id) are kept.

        A card replaces the stored one only when it is newer. Returns the rows added per table.
        """
        added = {"answers": 0, "reviews": 0, "cards": 0, "sessions": 0}
        with self.transaction() as db:
            for record in answers:
                added["answers"] += _insert_answer(db, record)
            for review in reviews:
                cur = db.execute(
                    "INSERT OR IGNORE INTO review_logs VALUES (?,?,?,?,?,?,?,?)",
                    _review_row(review),
                )
                added["reviews"] += cur.rowcount
            for card in cards:
                cur = db.execute(
                    "INSERT INTO cards VALUES (?,?,?,?) ON CONFLICT(question_id) DO UPDATE SET "
                    "card = excluded.card, content_hash = excluded.content_hash, "
                    "updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
                    (
                        card.question_id,
                        json.dumps(card.card),
                        card.content_hash,
                        card.updated_at.isoformat(),
                    ),
                )
                added["cards"] += cur.rowcount
            for row in sessions:
                cur = db.execute(
                    "INSERT OR IGNORE INTO sessions VALUES (?,?,?,?,?,?)",
                    (
                        row.id,
                        row.mode,
                        row.status,
                        row.created_at.isoformat(),
                        row.updated_at.isoformat(),
                        json.dumps(row.state),
                    ),
                )
                added["sessions"] += cur.rowcount
        return added

    def learner_id(self) -> str:
        """This learner's random id (created on first use, kept by ``reset``): with a question id
        and an attempt number it seeds a parametrised question (``grader.bank.params``)."""
        import secrets

        with self.transaction() as db:
            row = db.execute("SELECT id FROM learner LIMIT 1").fetchone()
            if row is not None:
                return str(row["id"])
            learner = secrets.token_hex(16)
            db.execute("INSERT INTO learner (id) VALUES (?)", (learner,))
        return learner

    def reset(self) -> None:
        """Delete every answer, card, review and session of this course."""
        with self.transaction() as db:
            for table in ("answers", "answer_hints", "cards", "review_logs", "sessions"):
                db.execute(f"DELETE FROM {table}")


def _insert_answer(db: sqlite3.Connection, record: AnswerRecord) -> int:
    """Insert an answer and its hint count unless its uid is stored; returns the rows added."""
    added = db.execute(
        "INSERT OR IGNORE INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _answer_row(record),
    ).rowcount
    if added and record.hints:
        db.execute(
            "INSERT OR IGNORE INTO answer_hints VALUES (?, ?)", (record.uid, int(record.hints))
        )
    return int(added)


def _answer_row(r: AnswerRecord) -> tuple[Any, ...]:
    return (
        r.uid,
        r.question_id,
        r.bank,
        json.dumps(list(r.tags), ensure_ascii=False),
        r.qtype,
        r.mode,
        r.session_id,
        r.attempt,
        json.dumps(r.response, ensure_ascii=False),
        float(r.score),
        r.content_hash,
        int(r.outdated),
        r.answered_at.isoformat(),
        r.day,
        r.lang,
    )


def _answer_from_row(row: sqlite3.Row) -> AnswerRecord:
    return AnswerRecord(
        uid=row["uid"],
        question_id=row["question_id"],
        bank=row["bank"],
        tags=tuple(json.loads(row["tags"])),
        qtype=row["qtype"],
        mode=row["mode"],
        session_id=row["session_id"],
        attempt=row["attempt"],
        response=json.loads(row["response"]),
        score=row["score"],
        content_hash=row["content_hash"],
        answered_at=datetime.fromisoformat(row["answered_at"]),
        day=row["day"],
        lang=row["lang"],
        outdated=bool(row["outdated"]),
        hints=int(row["hints"]),
    )


def _review_row(r: ReviewRecord) -> tuple[Any, ...]:
    return (
        r.uid,
        r.question_id,
        r.rating,
        float(r.score),
        r.reviewed_at.isoformat(),
        r.content_hash,
        int(r.outdated),
        json.dumps(r.log),
    )


def _review_from_row(row: sqlite3.Row) -> ReviewRecord:
    return ReviewRecord(
        uid=row["uid"],
        question_id=row["question_id"],
        rating=row["rating"],
        score=row["score"],
        reviewed_at=datetime.fromisoformat(row["reviewed_at"]),
        content_hash=row["content_hash"],
        log=json.loads(row["log"]),
        outdated=bool(row["outdated"]),
    )


def _card_from_row(row: sqlite3.Row) -> StoredCard:
    return StoredCard(
        question_id=row["question_id"],
        card=json.loads(row["card"]),
        content_hash=row["content_hash"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _session_from_row(row: sqlite3.Row) -> SessionRow:
    return SessionRow(
        id=row["id"],
        mode=row["mode"],
        status=row["status"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        state=json.loads(row["state"]),
    )
