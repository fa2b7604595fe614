"""Benchmark: what each OS sandbox layer costs in a child forked from a torch-importing worker.

The parent imports torch (and numpy), runs no torch op (as the warm worker does), calls
``grader.sandbox.os.layers.prepare()`` and then forks ``--repeat`` children for each measurement:

- alone: a child applies just that layer (``harden(spec, only=(layer,))``), its step's time;
- in full harden: the per-step times of one ``harden(spec)`` with every available layer, where
  "setup" is the single-thread check and entering the scratch folder (cwd, TMPDIR);
- fork+exit: a child that only exits (the floor), then fork + harden + exit, then fork + harden +
  a tiny forward/backward + exit: the sandbox's share of a check child's life.

Times are medians (and the 90th percentile for the totals) in milliseconds, measured inside the
child with ``time.perf_counter`` except fork+exit, which the parent measures from fork to reap.

Run: ``python benchmarks/sandbox_layers.py`` (``--repeat 30``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from grader.sandbox.os import layers
from grader.sandbox.os.probe import run_forked


def _spec(scratch: Path) -> layers.SandboxSpec:
    return layers.SandboxSpec(cpu_seconds=30, memory_bytes=4 << 30, scratch=scratch)


def _scratch(root: Path, index: int) -> Path:
    folder = root / f"s{index}"
    folder.mkdir(mode=0o777)
    return folder


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):7.3f}"


def _p90(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{1000 * ordered[int(0.9 * (len(ordered) - 1))]:7.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="children per measurement")
    args = parser.parse_args()

    started = time.perf_counter()
    import numpy  # noqa: F401
    import torch

    imported = time.perf_counter() - started
    started = time.perf_counter()
    layers.prepare()
    prepared = time.perf_counter() - started
    available = layers.available_layers()
    active = [name for name, reason in available.items() if reason is None]
    root = Path(tempfile.mkdtemp(prefix="grader-bench-"))
    os.chmod(root, 0o755)
    counter = iter(range(10**9))
    try:
        alone: dict[str, list[float]] = {name: [] for name in active}
        for name in active:
            for _ in range(args.repeat):
                spec = _spec(_scratch(root, next(counter)))

                def one(spec: layers.SandboxSpec = spec, name: str = name) -> float:
                    timings: dict[str, float] = {}
                    layers.harden(spec, only=(name,), timings=timings)
                    key = "landlock" if name.startswith("landlock-") else name
                    return timings[key]

                alone[name].append(run_forked(one).value)

        steps: dict[str, list[float]] = {}
        totals: list[float] = []
        for _ in range(args.repeat):
            spec = _spec(_scratch(root, next(counter)))

            def full(spec: layers.SandboxSpec = spec) -> dict[str, float]:
                timings: dict[str, float] = {}
                t = time.perf_counter()
                layers.harden(spec, timings=timings)
                timings["total"] = time.perf_counter() - t
                return timings

            timings = run_forked(full).value
            totals.append(timings.pop("total"))
            for step, seconds in timings.items():
                steps.setdefault(step, []).append(seconds)

        def bare() -> None:
            return None

        def hardened_exit(spec: layers.SandboxSpec) -> None:
            layers.harden(spec)

        def hardened_op(spec: layers.SandboxSpec) -> None:
            layers.harden(spec)
            torch.set_num_threads(1)
            weight = torch.randn(16, 16, requires_grad=True)
            (weight @ weight).sum().backward()

        lives: dict[str, list[float]] = {"fork+exit": [], "fork+harden+exit": [], "+fwd/bwd": []}
        for _ in range(args.repeat):
            lives["fork+exit"].append(run_forked(bare).elapsed)
            spec = _spec(_scratch(root, next(counter)))
            lives["fork+harden+exit"].append(run_forked(lambda s=spec: hardened_exit(s)).elapsed)
            spec = _spec(_scratch(root, next(counter)))
            lives["+fwd/bwd"].append(run_forked(lambda s=spec: hardened_op(s)).elapsed)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"python {sys.version.split()[0]}, torch {torch.__version__}, uid {os.geteuid()}")
    print(
        f"import torch+numpy: {imported * 1000:.0f} ms; prepare() incl. probes: "
        f"{prepared * 1000:.0f} ms; runtime read rules: {len(layers.runtime_read_paths())}"
    )
    for name, reason in available.items():
        if reason is not None:
            print(f"unavailable: {name}: {reason}")
    print(f"\nper layer, median of {args.repeat} children (ms)")
    print(f"{'layer':<16}{'alone':>9}{'in full harden':>16}")
    landlock_shown = False
    for name in active:
        if name.startswith("landlock-"):
            # One Landlock ruleset covers the three layers: its cost is shown once.
            in_full = "" if landlock_shown else _ms(steps["landlock"]) + " (one ruleset)"
            landlock_shown = True
        else:
            in_full = _ms(steps[name])
        print(f"{name:<16}{_ms(alone[name]):>9}{in_full:>16}")
    print(f"{'(setup)':<16}{'-':>9}{_ms(steps['setup']):>16}")
    print(f"{'harden() total':<16}{'':>9}{_ms(totals):>16}   p90 {_p90(totals)}")
    print("\nchild life, fork to reap (ms)   median      p90")
    for label, values in lives.items():
        print(f"{label:<30}{_ms(values):>9}{_p90(values):>9}")


if __name__ == "__main__":
    main()
