"""Batch grading throughput against a cold pytest-per-submission baseline, in one run.

    python benchmarks/batch.py [--count 200] [--sample 20] [--workers 2]
                               [--exercise add-one --course tests/data/course-mini]

1. Generates COUNT submissions in a temporary folder: correct and buggy variants (each file
   unique, so the journal cannot reuse anything). For the fixture exercise ``add-one`` the
   variants are hand-written; for any other exercise they are its solution (correct) and its
   starter (buggy).
2. Grades them all with ``grader batch EXERCISE DIR --out OUT --workers N`` (wall clock of the
   whole command: process start, worker start-up with the torch import, grading, gradebook).
3. Baseline, same machine, same run: a cold ``python -m pytest -p grader.runner.plugin
   --grader-submission FILE <exercise>/hidden`` per submission for SAMPLE of them, N at a time
   (what a naive CI grader does: one fresh interpreter per submission).
4. Prints both throughputs side by side and the ratio; checks that both agree on which sampled
   submissions get full marks.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "course-mini"

ADD_ONE_VARIANTS: list[tuple[str, str]] = [
    ("correct", "import torch\n\n\ndef add_one(x):\n    return x + 1\n"),
    ("correct", "import torch\n\n\ndef add_one(x):\n    return torch.add(x, 1)\n"),
    ("correct", "def add_one(x):\n    y = x.clone()\n    y += 1\n    return y\n"),
    ("off-by-one", "def add_one(x):\n    return x + 2\n"),
    ("wrong-dtype", "def add_one(x):\n    return x.float() + 1\n"),
    ("wrong-shape", "def add_one(x):\n    return (x + 1).unsqueeze(0)\n"),
    ("crash", "def add_one(x):\n    return x.no_such_attribute\n"),
    ("no-function", "def add_two(x):\n    return x + 2\n"),
]


def generate(folder: Path, count: int, exercise: str, course: Path) -> list[Path]:
    """COUNT unique submission files, correct and buggy, shuffled with a fixed seed."""
    if exercise == "add-one":
        variants = ADD_ONE_VARIANTS
    else:
        ex = course / "exercises" / exercise
        solution = course / "solutions" / f"{exercise}.py"
        variants = [
            ("correct", solution.read_text(encoding="utf-8")),
            ("starter", (ex / "starter.py").read_text(encoding="utf-8")),
        ]
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        kind, text = variants[i % len(variants)]
        path = folder / f"student{i:04d}.py"
        path.write_text(f"# student {i}: {kind}\n{text}", encoding="utf-8")
        paths.append(path)
    random.Random(0).shuffle(paths)
    return paths


def run_batch(folder: Path, out: Path, exercise: str, course: Path, workers: int) -> float:
    cmd = [
        sys.executable,
        "-m",
        "grader",
        "batch",
        exercise,
        str(folder),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--course",
        str(course),
        "--quiet",
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        sys.exit(f"grader batch failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed


def cold_pytest(path: Path, exercise: str, course: Path) -> tuple[float, bool]:
    hidden = course / "exercises" / exercise / "hidden"
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "grader.runner.plugin",
        "--grader-submission",
        str(path),
        str(hidden),
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - started, proc.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exercise", default="add-one")
    parser.add_argument("--course", type=Path, default=MINI)
    args = parser.parse_args()
    course = args.course.resolve()

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        folder = Path(tmp) / "class"
        paths = generate(folder, args.count, args.exercise, course)
        out = Path(tmp) / "out"
        batch_s = run_batch(folder, out, args.exercise, course, args.workers)
        with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = {r["student"]: r for r in csv.DictReader(fh)}
        statuses: dict[str, int] = {}
        for row in rows.values():
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1

        sample = paths[: args.sample]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            cold = list(pool.map(lambda p: cold_pytest(p, args.exercise, course), sample))
        cold_wall = time.perf_counter() - started
        disagree = [
            p.stem
            for p, (_, passed) in zip(sample, cold, strict=True)
            if passed != (rows[p.stem]["status"] == "full")
        ]

    batch_rate = args.count / batch_s
    cold_rate = len(sample) / cold_wall
    per_cold = sorted(t for t, _ in cold)[len(cold) // 2]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"exercise {args.exercise}, {args.count} submissions, {args.workers} workers, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print(f"gradebook statuses: {dict(sorted(statuses.items()))}")
    print()
    print(f"{'':<34} {'submissions':>11} {'wall s':>8} {'per second':>11}")
    print(
        f"{'grader batch (warm, sandboxed)':<34} {args.count:>11} {batch_s:>8.1f} "
        f"{batch_rate:>11.2f}"
    )
    print(
        f"{'cold pytest per submission':<34} {len(sample):>11} {cold_wall:>8.1f} "
        f"{cold_rate:>11.2f}   (median {per_cold:.2f} s each)"
    )
    print()
    print(f"speed-up: {batch_rate / cold_rate:.1f}x (goal: >= 10x)")
    print(
        f"sampled submissions where batch and pytest disagree on full marks: {len(disagree)}"
        + (f" {disagree}" if disagree else "")
    )


if __name__ == "__main__":
    main()
