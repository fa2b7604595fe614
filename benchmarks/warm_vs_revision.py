"""Warm grading latency of this checkout against another revision, side by side in one run.

    python benchmarks/warm_vs_revision.py [--rev 33494bb] [--runs 10] [EXERCISE ...]

For each exercise, grades its reference solution repeatedly in one warm worker (WarmWorker,
every sandbox layer on) with this checkout and with REV (checked out into a temporary git
worktree and imported through PYTHONPATH), alternating the two so both see the same machine
load, and prints the medians and their ratio. The default REV is the last commit of the first
grading engine (checks and learner code in one process).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ["backward-linear", "dataset-pairs", "fix-training-loop", "prune-linear"]

_PROBE = """
import json, statistics, sys, time
from grader.course import resolve_course
from grader.exercises.loader import find_exercise
from grader.runner.api import grade_exercise
from grader.runner.client import WarmWorker
course = resolve_course(sys.argv[1])
runs = int(sys.argv[2])
out = {}
with WarmWorker() as worker:
    worker.start()
    for ex_id in sys.argv[3:]:
        ex = find_exercise(ex_id, course.exercises, course.solutions)
        grade_exercise(ex, ex.solution, worker=worker)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            result = grade_exercise(ex, ex.solution, worker=worker)
            times.append(time.perf_counter() - t)
        out[ex_id] = [statistics.median(times), result.score, result.max_score]
print(json.dumps(out))
"""


def measure(tree: Path, runs: int, exercises: list[str]) -> dict[str, list[float]]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tree), str(runs), *exercises],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="*", default=DEFAULT)
    parser.add_argument("--rev", default="33494bb")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grader-rev-") as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(other), args.rev], cwd=ROOT, check=True
        )
        try:
            halves = max(1, args.runs // 2)
            ours, theirs = [], []
            for _ in range(2):  # interleaved, so both see the same machine load
                ours.append(measure(ROOT, halves, args.exercises))
                theirs.append(measure(other, halves, args.exercises))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False
            )
    print("median seconds per warm grade (the better of two interleaved rounds)")
    print(f"{'exercise':<20} {'this':>8} {args.rev:>10} {'this/rev':>9}  score (this)")
    for ex_id in args.exercises:
        a = min(ours[0][ex_id][0], ours[1][ex_id][0])
        b = min(theirs[0][ex_id][0], theirs[1][ex_id][0])
        score = ours[0][ex_id]
        print(f"{ex_id:<20} {a:8.3f} {b:10.3f} {a / b:9.2f}  {score[1]:g}/{score[2]:g}")


if __name__ == "__main__":
    main()
