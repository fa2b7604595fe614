"""Batch grading throughput against a cold pytest-per-submission baseline, in one run; or, with
``--backend ray``, the Ray backend against the local one.

    python benchmarks/batch.py [--count 200] [--sample 20] [--workers 2]
                               [--exercise add-one --course tests/data/course-mini]
    python benchmarks/batch.py --backend ray [--count 200] [--workers 2] [--repeat 1]

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

With ``--backend ray`` the baseline is ``grader batch --backend local`` instead of cold pytest:
the benchmark starts a one-node Ray cluster on 127.0.0.1 (``--workers`` CPU slots, dashboard
off, Ray's ``ray.cluster_utils.Cluster``), then grades the same folder with both backends, in
turn (``--repeat`` times each, alternating; medians count), and prints for each: the wall clock of the
whole command, the steady rate between its first and its last journaled grade (start-up left
out), and the CPU that the batch's machinery spends per graded submission (driver and actors,
from the command's last line, and Ray's daemons, read from /proc), which is what decides how far
a cluster scales (docs/cluster.md). Ray's daemons share the machine's cores with the grading.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.processes import descendants

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


def run_batch(
    folder: Path, out: Path, exercise: str, course: Path, workers: int, *extra: str
) -> float:
    return run_batch_command(folder, out, exercise, course, workers, *extra)[0]


def run_batch_command(
    folder: Path, out: Path, exercise: str, course: Path, workers: int, *extra: str
) -> tuple[float, str]:
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
        *extra,
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        sys.exit(f"grader batch failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stderr


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


@dataclass
class Measured:
    """One `grader batch` run of the Ray comparison."""

    backend: str
    wall_s: float
    steady_rate: float
    """Grades per second between the first and the last journaled grade."""
    driver_ms: float
    """Driver CPU per graded submission once started (the command's last line)."""
    actors_ms: float | None
    record_ms: float
    start_s: float
    """CPU the driver and the actors spent starting (Ray: import, connect, warm workers)."""
    daemons_ms: float | None = None
    statuses: dict[str, int] | None = None


def _steady_rate(out: Path) -> float:
    db = sqlite3.connect(out / ".journal.sqlite")
    try:
        stamps = sorted(t for (t,) in db.execute("SELECT graded_at FROM grades"))
    finally:
        db.close()
    if len(stamps) < 2 or stamps[-1] <= stamps[0]:
        return float("nan")
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def _ms(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match[1]) if match else None


def _statuses(out: Path) -> dict[str, int]:
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return dict(sorted(counts.items()))


def _cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes ``pids`` spent so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _ray_daemons() -> list[int]:
    """Ray's daemons under this process (GCS, raylet, agents, log monitor), not its worker
    processes: the actors among those count their own CPU (``actors ms``)."""
    found = []
    for pid in descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"default_worker.py" not in cmdline:
            found.append(pid)
    return found


def compare_ray(args: argparse.Namespace, course: Path) -> None:
    """Local and Ray backends on the same folder, in one run, on a local one-node cluster."""
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # every Ray port on 127.0.0.1
    os.environ.pop("RAY_ADDRESS", None)
    try:
        from ray.cluster_utils import Cluster
    except ImportError:
        sys.exit("--backend ray needs Ray: pip install -e '.[ray]'")
    cluster: Any = Cluster(
        initialize_head=True,
        head_node_args={
            "num_cpus": args.workers,
            "include_dashboard": False,
            "object_store_memory": 128 * 1024 * 1024,
        },
    )
    try:
        with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
            folder = Path(tmp) / "class"
            generate(folder, args.count, args.exercise, course)
            runs: dict[str, list[Measured]] = {"local": [], "ray": []}
            for _ in range(args.repeat):
                for backend in ("local", "ray"):
                    out = Path(tmp) / f"out-{backend}"
                    shutil.rmtree(out, ignore_errors=True)
                    extra = ["--backend", backend]
                    if backend == "ray":
                        extra += ["--ray-address", cluster.address]
                    daemons = _ray_daemons()
                    cpu_before = _cpu_of(daemons)
                    wall, stderr = run_batch_command(
                        folder, out, args.exercise, course, args.workers, *extra
                    )
                    daemons_cpu = _cpu_of(daemons) - cpu_before
                    runs[backend].append(
                        Measured(
                            backend=backend,
                            wall_s=wall,
                            steady_rate=_steady_rate(out),
                            driver_ms=_ms(r"driver ([\d.]+) ms", stderr) or float("nan"),
                            actors_ms=_ms(r"actors ([\d.]+) ms", stderr),
                            record_ms=_ms(r"journal row: ([\d.]+) ms", stderr) or float("nan"),
                            start_s=(_ms(r"to start: driver ([\d.]+) s", stderr) or 0.0)
                            + (_ms(r"to start: driver [\d.]+ s, actors ([\d.]+) s", stderr) or 0.0),
                            daemons_ms=1000 * daemons_cpu / args.count,
                            statuses=_statuses(out),
                        )
                    )
    finally:
        cluster.shutdown()
    report(args, runs)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def report(args: argparse.Namespace, runs: dict[str, list[Measured]]) -> None:
    """Medians per backend side by side, and the overhead of each local/ray pair of runs."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"exercise {args.exercise}, {args.count} submissions, {args.workers} slots each, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}, {args.repeat} run(s) of each "
        "(medians)"
    )
    statuses = {b: ms[0].statuses for b, ms in runs.items()}
    if statuses["local"] != statuses["ray"]:
        print(f"STATUSES DIFFER: local {statuses['local']}, ray {statuses['ray']}")
    else:
        print(f"gradebook statuses (both): {statuses['local']}")
    print()
    print(
        f"{'':<28} {'wall s':>7} {'per s':>7} {'steady/s':>9} {'driver ms':>10} "
        f"{'actors ms':>10} {'daemons ms':>11} {'write ms':>9} {'start s':>8}"
    )

    def cell(values: list[float | None], width: int, digits: int = 1) -> str:
        known = [v for v in values if v is not None]
        if not known:
            return f"{'-':>{width}}"
        return f"{_median(known):>{width}.{digits}f}"

    for backend, ms in runs.items():
        print(
            f"{'grader batch --backend ' + backend:<28} {cell([m.wall_s for m in ms], 7)} "
            f"{cell([args.count / m.wall_s for m in ms], 7, 2)} "
            f"{cell([m.steady_rate for m in ms], 9, 2)} {cell([m.driver_ms for m in ms], 10)} "
            f"{cell([m.actors_ms for m in ms], 10)} {cell([m.daemons_ms for m in ms], 11)} "
            f"{cell([m.record_ms for m in ms], 9)} {cell([m.start_s for m in ms], 8)}"
        )
    pairs = list(zip(runs["local"], runs["ray"], strict=True))
    wall = [100 * (1 - local.wall_s / ray.wall_s) for local, ray in pairs]
    steady = [100 * (1 - ray.steady_rate / local.steady_rate) for local, ray in pairs]
    ratio_wall = [local.wall_s / ray.wall_s for local, ray in pairs]
    ratio_steady = [ray.steady_rate / local.steady_rate for local, ray in pairs]
    print()
    print(
        f"throughput ratio ray/local (medians): whole command {_median(ratio_wall):.2f}, "
        f"steady state {_median(ratio_steady):.2f}"
    )
    print("(ms: CPU per graded submission once started; daemons: Ray's raylet, GCS and agents,")
    print(" idle during the local run; write ms: wall time per result for its JSON and journal")
    print(" row, fsyncs included; start s: CPU of the driver and the actors to get ready)")
    print(
        "Ray overhead, % of local throughput, per pair of runs: whole command "
        + ", ".join(f"{w:.1f}" for w in wall)
        + "; steady state "
        + ", ".join(f"{x:.1f}" for x in steady)
        + f" (medians {_median(wall):.1f} and {_median(steady):.1f}; target: <= 10 %)"
    )
    ray_ms = [m.driver_ms + (m.actors_ms or 0.0) + (m.daemons_ms or 0.0) for m in runs["ray"]]
    local_ms = [m.driver_ms for m in runs["local"]]
    print(
        f"machinery CPU per submission: ray {_median(ray_ms):.1f} ms (driver + actors + "
        f"daemons) against local {_median(local_ms):.1f} ms (driver and its threads): Ray adds "
        f"{_median(ray_ms) - _median(local_ms):.1f} ms per submission"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exercise", default="add-one")
    parser.add_argument("--course", type=Path, default=MINI)
    parser.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="local: batch against cold pytest; ray: the Ray backend against the local one",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each backend (--backend ray)"
    )
    args = parser.parse_args()
    course = args.course.resolve()
    if args.backend == "ray":
        compare_ray(args, course)
        return

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
