"""Nothing lost, nothing twice: a batch killed with SIGKILL resumes; changes are regraded."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from batch_helpers import COURSE, GRADER, SUBS, read_gradebook
from host_support import process_alive

from grader.processes import descendants

FIXTURES = ["correct", "wrong_value", "wrong_dtype", "crash", "defines_nothing"]


def _journal(out: Path) -> dict[tuple[str, str], float]:
    """(student, exercise) -> graded_at of every journaled grade ({} while there is none)."""
    path = out / ".journal.sqlite"
    if not path.exists():
        return {}
    db = sqlite3.connect(path, timeout=5)
    try:
        rows = db.execute("SELECT student, exercise, graded_at FROM grades").fetchall()
    except sqlite3.OperationalError:  # the table is being created
        return {}
    finally:
        db.close()
    return {(s, e): t for s, e, t in rows}


def _counts(stderr: str) -> tuple[int, int]:
    match = re.search(r"graded (\d+) \(.*\), reused (\d+) from the journal", stderr)
    assert match, stderr
    return int(match[1]), int(match[2])


def test_sigkill_then_rerun_grades_only_what_is_missing(tmp_path, grader_batch):
    """SIGKILL mid-batch: the journal keeps every finished grade, no worker outlives the batch,
    and the next run grades only the rest, with one row per student."""
    root = tmp_path / "class"
    root.mkdir()
    students = [f"s{i:02d}" for i in range(12)]
    for i, student in enumerate(students):
        (root / f"{student}.py").write_bytes((SUBS / f"{FIXTURES[i % 5]}.py").read_bytes())
    out = tmp_path / "out"
    cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(
        [*cmd, "--course", str(COURSE), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while len(_journal(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed"
    children = descendants(proc.pid)
    assert children, "no grading process found under the batch"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _journal(out)
    assert 3 <= len(before) < len(students)
    deadline = time.monotonic() + 10
    while any(process_alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in children if process_alive(p)], "grading processes outlived the batch"

    again = grader_batch("add-one", str(root), "--out", str(out))
    assert again.returncode == 0, again.stderr
    graded, reused = _counts(again.stderr)
    assert reused == len(before) and graded == len(students) - len(before)
    after = _journal(out)
    assert len(after) == len(students)
    assert {k: after[k] for k in before} == before, "a journaled grade was graded again"
    rows = read_gradebook(out)
    assert [r["student"] for r in rows] == students  # one row each, sorted
    assert {r["status"] for r in rows} == {"full", "partial", "error", "failed"}


def test_changed_submission_is_regraded_and_regrade_grades_all(tmp_path, grader_batch):
    """A run after a finished one grades nothing; changing one file regrades that file only;
    --regrade grades everything again."""
    root = tmp_path / "class"
    root.mkdir()
    for student, fixture in [("ann", "correct"), ("ben", "wrong_value"), ("cid", "crash")]:
        (root / f"{student}.py").write_bytes((SUBS / f"{fixture}.py").read_bytes())
    out = tmp_path / "out"
    first = grader_batch("add-one", str(root), "--out", str(out))
    assert first.returncode == 0 and _counts(first.stderr) == (3, 0)
    stamps = _journal(out)

    (root / "ben.py").write_bytes((SUBS / "correct.py").read_bytes())
    second = grader_batch("add-one", str(root), "--out", str(out))
    assert _counts(second.stderr) == (1, 2)
    now = _journal(out)
    assert now[("ben", "add-one")] > stamps[("ben", "add-one")]
    assert now[("ann", "add-one")] == stamps[("ann", "add-one")]
    rows = {r["student"]: r for r in read_gradebook(out)}
    assert (rows["ben"]["score"], rows["ben"]["status"]) == ("4", "full")
    assert (out / "ben" / "add-one.json").read_text(encoding="utf-8").count('"score": 4.0') >= 1

    third = grader_batch("add-one", str(root), "--out", str(out), "--regrade")
    assert third.returncode == 0 and _counts(third.stderr) == (3, 0)
    assert all(_journal(out)[k] > now[k] for k in now)
    assert len(read_gradebook(out)) == 3


def test_changed_hidden_check_regrades_everyone(tmp_path):
    """A change to a hidden check makes every journaled grade of that exercise stale, even when
    the exercise's statement and starter are unchanged (the journal's promise on checks_hash)."""
    course = tmp_path / "course"
    shutil.copytree(COURSE / "exercises" / "add-one", course / "exercises" / "add-one")
    root = tmp_path / "class"
    root.mkdir()
    for student, fixture in [("ann", "correct"), ("ben", "wrong_value")]:
        (root / f"{student}.py").write_bytes((SUBS / f"{fixture}.py").read_bytes())
    out = tmp_path / "out"

    def run() -> subprocess.CompletedProcess[str]:
        cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(out), "--workers", "1"]
        return subprocess.run(
            [*cmd, "--course", str(course), "--quiet"], capture_output=True, text=True, timeout=180
        )

    assert _counts(run().stderr) == (2, 0)
    assert _counts(run().stderr) == (0, 2)
    check = course / "exercises" / "add-one" / "hidden" / "test_add_one.py"
    check.write_text(check.read_text(encoding="utf-8") + "\n# a comment changes the hash\n")
    assert _counts(run().stderr) == (2, 0)
