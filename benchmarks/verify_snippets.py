"""Benchmark: `verify_snippets` over the bundled banks (every code_output snippet, run twice).

Measures, best of ``--repeat`` runs: the wall-clock time, the CPU time of this process and of its
children (the interpreters that import torch and run the snippets), and the snippet count. The
CPU figure is what matters on a loaded 2-core CI runner: wall time there is roughly CPU / cores.
For comparison, ``--no-fork`` forces the fallback used where the OS cannot fork (one interpreter
per bank and run, i.e. one torch import per bank and run).

Run: ``python benchmarks/verify_snippets.py`` (``--repeat 3``, ``--no-fork``, ``--questions DIR``).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from grader.course import bundled_root
from grader.verify import snippets, verify_snippets


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-fork", action="store_true", help="one interpreter per bank and run")
    parser.add_argument("--questions", type=Path, default=bundled_root() / "questions")
    args = parser.parse_args()
    if args.no_fork:
        snippets._can_fork = lambda: False  # the fallback path, for comparison
    best_wall = best_cpu = float("inf")
    report = None
    for _ in range(args.repeat):
        cpu, wall = _cpu(), time.perf_counter()
        report = verify_snippets([args.questions])
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, _cpu() - cpu)
    assert report is not None
    mode = "no fork (interpreter per bank and run)" if args.no_fork else "fork per bank"
    print(f"cpus: {os.cpu_count()}; mode: {mode}")
    print(
        f"{report.snippets} snippets in {report.banks} banks, 2 runs each, "
        f"torch {report.torch_version}, numpy {report.numpy_version}"
    )
    print(f"wall {best_wall:.2f} s, cpu (self + children) {best_cpu:.2f} s, best of {args.repeat}")
    print(f"problems: {len(report.problems)}")


if __name__ == "__main__":
    main()
