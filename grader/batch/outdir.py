"""The output folder of a batch: its lock, its leftovers and its journal."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.batch.journal import Journal
from grader.errors import UsageError

JOURNAL_NAME = ".journal.sqlite"
LOCK_NAME = ".batch.lock"


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on OUT so two batches never write the same gradebook."""
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another `grader batch` is writing to {out}; wait for it") from None
        yield
    finally:
        os.close(fd)


def check_out(out: Path, submissions: Path) -> None:
    """OUT must be a folder (or not exist yet) outside the submissions folder."""
    subs = submissions.resolve()
    target = out.resolve()
    if target == subs or subs in target.parents:
        raise UsageError(
            f"--out {out} is inside the submissions folder {submissions}; "
            "it would be taken for a student: choose a folder outside it"
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")


def remove_leftovers(out: Path) -> None:
    """Temporary files a killed batch left behind (we hold the lock: nobody is writing them)."""
    for tmp in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp")]:
        tmp.unlink(missing_ok=True)


def open_journal(out: Path, say: Callable[[str], None]) -> Journal:
    """The journal of OUT; a damaged one is set aside (its grades are graded again)."""
    path = out / JOURNAL_NAME
    try:
        return Journal(path)
    except sqlite3.DatabaseError as exc:
        aside = path.with_name(f"{JOURNAL_NAME}.damaged-{int(time.time())}")
        path.rename(aside)
        for extra in ("-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        say(f"the journal {path} is damaged ({exc}); moved it to {aside.name} and starting over")
        return Journal(path)
