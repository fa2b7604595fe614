"""Benchmark the sandbox policy: import cost, compile + load of a typical submission, guard overhead.

    python benchmarks/policy_bench.py [--runs 200]

Numbers printed (milliseconds unless noted):

* ``import``: ``import grader.sandbox.policy`` in a fresh process that has already imported torch
  and numpy (bytecode cached in a temporary ``PYTHONPYCACHEPREFIX``), median of 5 processes;
* ``compile`` / ``load`` / ``total``: ``compile_submission`` and ``load_submission`` of the
  60-line submission below, median and 95th percentile over ``--runs`` runs in one warm process
  (wall clock), and ``cpu``: the same in thread CPU time, which other load on the machine does not
  inflate;
* ``forward``: microseconds per forward pass of the submission's small MLP, plain Python vs under
  the policy (every attribute load and call result goes through a guard).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit

SUBMISSION = '''\
"""A typical submission: a model, a dataset and a training loop."""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("features and labels differ in length")
        self._x = torch.as_tensor(np.asarray(features, dtype=np.float32))
        self._y = torch.as_tensor(np.asarray(labels, dtype=np.int64))
        self.transform = transform

    def __len__(self):
        return len(self._y)

    def __getitem__(self, i):
        x = self._x[i]
        return (self.transform(x) if self.transform else x), self._y[i]


class MLP(nn.Module):
    def __init__(self, sizes=(4, 16, 3)):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x)


def accuracy(logits, labels):
    return (logits.argmax(dim=1) == labels).float().mean().item()


def train(model, loader, epochs=1, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    model.train()
    for epoch in range(epochs):
        total = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader))
        print(f"epoch {epoch}: {history[-1]:.3f} (lr={lr:.2g}, {math.pi:.1f})")
    return history
'''


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_import() -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as prefix:
        env["PYTHONPYCACHEPREFIX"] = prefix
        code = (
            "import time, torch, numpy\n"
            "t = time.perf_counter()\n"
            "import grader.sandbox.policy\n"
            "print((time.perf_counter() - t) * 1000)\n"
        )
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(5)
        ]
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    import torch

    from grader.sandbox.policy import compile_submission, load_submission

    print(f"import   {measure_import():6.1f} ms (median of 5 processes, on top of torch+numpy)")
    lines = SUBMISSION.count("\n")
    compile_ms, load_ms, cpu_ms = [], [], []
    for i in range(args.runs):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        code = compile_submission(SUBMISSION, "submission.py")
        t1 = time.perf_counter()
        load_submission(code, module_name=f"bench_{i % 4}")
        t2 = time.perf_counter()
        cpu_ms.append((time.thread_time() - c0) * 1000)
        compile_ms.append((t1 - t0) * 1000)
        load_ms.append((t2 - t1) * 1000)
    total = [c + m for c, m in zip(compile_ms, load_ms, strict=True)]
    for name, values in (("compile", compile_ms), ("load", load_ms), ("total", total)):
        print(
            f"{name:8} {statistics.median(values):6.2f} ms median, "
            f"{_percentile(values, 0.95):6.2f} ms p95 ({lines}-line submission, {args.runs} runs)"
        )
    print(f"cpu      {statistics.median(cpu_ms):6.2f} ms median thread CPU time for compile + load")

    module = load_submission(
        compile_submission(SUBMISSION, "submission.py"), module_name="bench_mlp"
    )
    plain: dict[str, object] = {"__name__": "plain_mlp"}
    exec(compile(SUBMISSION, "plain.py", "exec"), plain)
    x = torch.randn(8, 4)
    guarded_model, plain_model = module.MLP(), plain["MLP"]()  # type: ignore[operator]
    with torch.no_grad():
        n = 2000
        plain_us = timeit.timeit(lambda: plain_model(x), number=n) / n * 1e6
        guarded_us = timeit.timeit(lambda: guarded_model(x), number=n) / n * 1e6
    print(f"forward  {plain_us:6.1f} us plain, {guarded_us:6.1f} us under the policy (3-layer MLP)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
