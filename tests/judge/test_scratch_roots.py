"""Executor templates clean up after themselves, and after templates that were killed."""

from __future__ import annotations

import os
import subprocess
import sys

from judge_support import COURSE

SOLUTION = COURSE / "solutions" / "double.py"


def test_stale_scratch_roots_are_swept(tmp_path):
    """A template killed with its worker (a cancelled grade) leaves its scratch root behind; the
    next template removes it, and leaves alone the root of a template that still runs."""
    stale = tmp_path / "grader-exec-999999999-abcd"
    (stale / "scratch").mkdir(parents=True)
    (stale / "scratch" / "left.pt").write_bytes(b"x")
    alive = tmp_path / f"grader-exec-{os.getpid()}-efgh"
    alive.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "double", str(SOLUTION), "--course", str(COURSE)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not stale.exists()
    assert alive.exists()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith("grader-exec-") and p != alive]
    assert left == [], left
