"""Open the grader's SQLite files (the progress store, the batch journal) one way.

Each is opened in autocommit mode (every statement, or an explicit ``BEGIN``, is its own
transaction), in WAL mode so that readers never block the writer, with a busy timeout so that a
second process waits for a lock instead of failing, and with its schema version in
``PRAGMA user_version``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal

__all__ = ["BUSY_TIMEOUT_S", "open_database"]

BUSY_TIMEOUT_S = 5.0
"""How long a statement waits for another connection's lock before 'database is locked'."""


def open_database(
    path: str | Path,
    *,
    schema: str,
    version: int,
    synchronous: Literal["NORMAL", "FULL"],
    on_other_version: Callable[[sqlite3.Connection, int], None],
    threads: bool = False,
) -> sqlite3.Connection:
    """Open (or create) the database ``path`` with its tables and schema version.

    Args:
        path: The database file; its folder must exist.
        schema: SQL creating the tables and indexes (``IF NOT EXISTS``), run at every open.
        version: The schema version this grader writes.
        synchronous: ``FULL`` (a commit survives a power cut) or ``NORMAL`` (it survives the
            death of the process; cheaper).
        on_other_version: Called with the connection and the file's version when that is not
            ``version`` (0 for a new file), before ``schema`` runs: migrate, drop or raise.
        threads: The connection is shared between threads (the caller serialises its use).

    Returns:
        The connection, ``user_version`` set to ``version``.

    Raises:
        sqlite3.DatabaseError: The file is not a database, or ``on_other_version`` refused it;
            the connection is closed.
    """
    db = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=not threads
    )
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found != version:
            on_other_version(db, found)
        db.executescript(schema)
        if found != version:
            db.execute(f"PRAGMA user_version = {int(version)}")
    except BaseException:
        db.close()
        raise
    return db
