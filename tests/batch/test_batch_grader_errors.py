"""A failure of the grader itself is retried, recorded as grader-error, and never written as 0.

The failure is injected through ``run_batch(worker_factory=...)``: workers whose process
cannot start, as when the sandbox cannot be set up.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading

import pytest
from batch_helpers import COURSE, build_class, read_gradebook

from grader.batch.outdir import LOCK_NAME
from grader.batch.run import run_batch
from grader.errors import InternalError, SandboxError, UsageError
from grader.runner.client import WarmWorker


class BrokenWorker:
    """A worker whose process never starts."""

    starts = 0
    lock = threading.Lock()

    def start(self) -> dict:
        with BrokenWorker.lock:
            BrokenWorker.starts += 1
        raise InternalError("the grading worker did not start")

    def grade(self, req, on_progress=None, cancel=None) -> dict:
        self.start()
        return {}

    def kill(self) -> None:
        pass

    def close(self) -> None:
        pass


class FlakyWorker(WarmWorker):
    """A real warm worker, except that the first start of the batch fails."""

    failures_left = 1
    lock = threading.Lock()

    def start(self) -> dict:
        with FlakyWorker.lock:
            fail = FlakyWorker.failures_left > 0
            FlakyWorker.failures_left -= fail
        if fail:
            raise InternalError("the grading worker did not start")
        return super().start()


def test_grader_failure_is_retried_and_recorded_as_grader_error(tmp_path):
    """Every attempt fails: rows say grader-error with an empty score (no 0), no JSON, nothing
    journaled; the exit status is 4. The next run grades them, retrying a failed start."""
    root = build_class(
        tmp_path / "class",
        {"ann.py": "correct", "ben.py": "wrong_value", "cid/": None},
    )
    out = tmp_path / "out"
    BrokenWorker.starts = 0
    report = run_batch(
        "add-one",
        root,
        out,
        course=COURSE,
        workers=2,
        retries=2,
        show_progress=False,
        worker_factory=BrokenWorker,
        warn=lambda _: None,
    )
    assert report.exit_code == 4 and report.grader_errors == 2
    assert BrokenWorker.starts == 6
    assert report.attempts == {("ann", "add-one"): 3, ("ben", "add-one"): 3}
    rows = {r["student"]: r for r in read_gradebook(out)}
    for student in ("ann", "ben"):
        assert (rows[student]["score"], rows[student]["status"]) == ("", "grader-error")
        assert not (out / student / "add-one.json").exists()
    assert (rows["cid"]["score"], rows["cid"]["status"]) == ("0", "missing")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["grader_errors"] == 2
    assert summary["exercises"]["add-one"]["graded"] == 0
    # Grader errors are left out of the mean; the missing file counts as 0.
    assert summary["exercises"]["add-one"]["in_means"] == 1
    assert summary["exercises"]["add-one"]["mean"] == 0.0

    FlakyWorker.failures_left = 1
    again = run_batch(
        "add-one",
        root,
        out,
        course=COURSE,
        workers=1,
        show_progress=False,
        worker_factory=FlakyWorker,
        warn=lambda _: None,
    )
    assert again.exit_code == 0 and (again.graded, again.reused) == (2, 0)
    assert sorted(again.attempts.values()) == [1, 2]
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert (rows["ann"]["score"], rows["ann"]["status"]) == ("4", "full")
    assert (rows["ben"]["score"], rows["ben"]["status"]) == ("1", "partial")


def test_a_second_batch_on_the_same_out_is_refused(tmp_path):
    """Two batches writing one gradebook would lose rows: the second exits with a usage error."""
    root = build_class(tmp_path / "class", {"ann.py": "correct"})
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(UsageError, match="another `grader batch`"):
            run_batch(
                "add-one",
                root,
                out,
                course=COURSE,
                show_progress=False,
                worker_factory=BrokenWorker,
                warn=lambda _: None,
            )
    finally:
        os.close(fd)


class NoSeccompWorker(BrokenWorker):
    """A worker that starts on a machine without seccomp."""

    def start(self) -> dict:
        return {"event": "ready", "cuda": False, "layers": {"seccomp": "not supported here"}}


def test_require_sandbox_stops_the_batch_before_grading(tmp_path):
    """With require_sandbox a missing layer stops the batch (exit 4), and nobody gets a row
    graded without the sandbox."""
    root = build_class(tmp_path / "class", {"ann.py": "correct", "ben.py": "correct"})
    out = tmp_path / "out"
    with pytest.raises(SandboxError, match="seccomp"):
        run_batch(
            "add-one",
            root,
            out,
            course=COURSE,
            require_sandbox=True,
            show_progress=False,
            worker_factory=NoSeccompWorker,
            warn=lambda _: None,
        )
    assert read_gradebook(out) == []
    assert not list(out.glob("*/add-one.json"))


def test_damaged_journal_is_set_aside(tmp_path):
    """A journal that is not a database any more (a disk fault) is moved aside with a warning
    and the batch starts over instead of crashing; leftover temporary files are removed."""
    root = build_class(tmp_path / "class", {"ann/": None})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".journal.sqlite").write_bytes(b"not a database " * 100)
    (out / ".gradebook.csv.x1y2.tmp").write_text("half a gradebook")
    said: list[str] = []
    report = run_batch(
        "add-one",
        root,
        out,
        course=COURSE,
        show_progress=False,
        worker_factory=BrokenWorker,
        warn=said.append,
    )
    assert report.exit_code == 0
    assert any("damaged" in s for s in said)
    assert len(list(out.glob(".journal.sqlite.damaged-*"))) == 1
    assert not list(out.glob(".*.tmp"))
    assert [(r["student"], r["status"]) for r in read_gradebook(out)] == [("ann", "missing")]
