"""Grading latency, side by side in one run, for each contract exercise.

    python benchmarks/grade_latency.py [--runs 5] [--warm-runs 20] [EXERCISE ...]

Columns (median seconds over the runs):
  floor       python -c "import torch"
  pytest      a cold `python -m pytest -p grader.runner.plugin` of the same hidden checks on the
              reference solution (one fresh interpreter per submission, as a CI job would run)
  cold grade  one `grader grade EXERCISE solution.py` (every sandbox layer the machine has)
  warm        per submission in a warm worker (WarmWorker.grade): a fresh judge forked from the
              exercise's judge template, a fresh executor, every sandbox layer on
and the ratios cold/floor, pytest/cold and pytest/warm, then the targets of the v2 engine:
warm <= 0.08 s, cold/floor <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ["backward-linear", "dataset-pairs", "fix-training-loop", "prune-linear"]


def timed(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True, cwd=ROOT)  # warm the page cache
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="*", default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from grader.course import resolve_course
    from grader.exercises.loader import find_exercise
    from grader.runner.api import grade_exercise
    from grader.runner.client import WarmWorker

    course = resolve_course(ROOT)
    py = sys.executable
    floor = timed([py, "-c", "import torch"], args.runs)
    print(f"floor (python -c 'import torch'): {floor:.3f} s\n")
    header = (
        f"{'exercise':<20} {'pytest':>8} {'cold':>8} {'warm':>8} {'cold/floor':>11} "
        f"{'pytest/cold':>12} {'pytest/warm':>12}"
    )
    print(header)
    print("-" * len(header))
    with WarmWorker() as worker:
        info = worker.start()
        for ex_id in args.exercises:
            ex = find_exercise(ex_id, course.exercises, course.solutions)
            sol = str(ex.solution)
            pytest_cmd = [
                py,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "grader.runner.plugin",
                "--grader-submission",
                sol,
                str(ex.folder / "hidden"),
            ]
            cold_cmd = [py, "-m", "grader", "grade", ex_id, sol, "--course", str(ROOT)]
            t_pytest = timed(pytest_cmd, args.runs)
            t_cold = timed(cold_cmd, args.runs)
            grade_exercise(ex, ex.solution, worker=worker)  # first use
            warm = []
            for _ in range(args.warm_runs):
                t = time.perf_counter()
                grade_exercise(ex, ex.solution, worker=worker)
                warm.append(time.perf_counter() - t)
            t_warm = statistics.median(warm)
            print(
                f"{ex_id:<20} {t_pytest:8.3f} {t_cold:8.3f} {t_warm:8.3f} "
                f"{t_cold / floor:11.2f} {t_pytest / t_cold:12.2f} {t_pytest / t_warm:12.1f}"
            )
    print("\ntargets: warm <= 0.080 s per submission; cold/floor <= 1.30")
    layers = info.get("layers") or {}
    active = [k for k, v in layers.items() if v is None]
    print(f"\nsandbox layers active: {', '.join(active) or 'none'}")


if __name__ == "__main__":
    main()
