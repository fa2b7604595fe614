"""Run attack snippets with plain exec() and no policy, and record which reached their goal.

    python run_plain.py CASES.json RESULTS.json

CASES.json is a list of {"id", "source", "goal", "cwd"}. Each snippet runs in its own forked
child (this parent imports torch but runs no torch op, so forked children are safe) with a time
limit; RESULTS.json maps each id to true, or to a string saying what happened instead. The goal
is a Python expression evaluated in the snippet's namespace plus os, sys, torch and np, or
"raises:Name" for a snippet that must end by raising the exception class Name.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time

import numpy as np
import torch

LIMIT_S = 60.0


def run_one(source: str, goal: str) -> object:
    namespace: dict[str, object] = {"__name__": "__attack__"}
    try:
        exec(compile(source, "<attack>", "exec"), namespace)
    except BaseException as exc:  # the goal may be to raise SystemExit and friends
        if goal.startswith("raises:"):
            return type(exc).__name__ == goal.removeprefix("raises:") or f"raised {exc!r}"
        return f"raised {type(exc).__name__}: {exc}"
    if goal.startswith("raises:"):
        return "did not raise"
    env = {"os": os, "sys": sys, "torch": torch, "np": np, **namespace}
    return bool(eval(goal, env)) or "goal not reached"


def run_forked(case: dict[str, str]) -> object:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            os.chdir(case["cwd"])
            outcome = run_one(case["source"], case["goal"])
        except BaseException as exc:
            outcome = f"harness error: {exc!r}"
        os.write(write_end, json.dumps(outcome, default=repr).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    deadline = time.monotonic() + LIMIT_S
    while True:
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            data = json.dumps("timed out").encode()
            break
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(data) if data else "child died without a result"


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    results = {case["id"]: run_forked(case) for case in cases}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
