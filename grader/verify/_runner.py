"""Runs one bank's ``code_output`` snippets in this (warm) interpreter; started by ``snippets.py``.

Usage: ``python _runner.py RESULTS_FILE`` with a JSON job on stdin::

    {"seed": 1, "timeout": 10.0, "snippets": [{"id": "...", "code": "..."}, ...]}

torch and numpy are imported once, then every snippet is exec()'d in a fresh namespace with its
stdout captured. Global state a snippet may change (default dtype, print options, grad mode, the
random generators, warning filters) is reset before each one; the random generators are seeded
from the job's ``seed`` so that a snippet relying on unseeded randomness prints different values in
the two runs. Results are appended to RESULTS_FILE as JSON lines, flushed one by one, so the
parent still learns what finished (and which snippet was running) if this process must be killed:

    {"event": "versions", "torch": "2.13.0+cpu", "numpy": "2.4.6", "python": "3.11.9"}
    {"event": "start", "id": "..."}
    {"event": "done", "id": "...", "stdout": "...", "error": null, "seconds": 0.01}

This file is standalone on purpose: it imports nothing from ``grader``.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import platform
import random
import signal
import sys
import time
import traceback
import warnings
from typing import Any, TextIO


class SnippetTimeout(BaseException):
    """Raised in a snippet that runs past its time limit (BaseException: snippets cannot catch it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise SnippetTimeout


def _import_libraries() -> tuple[Any, Any]:
    """Import torch and numpy once (either may be missing: the snippets then report it)."""
    try:
        import numpy
    except ImportError:
        numpy = None
    try:
        import torch
    except ImportError:
        torch = None
    return torch, numpy


def _reset_state(torch: Any, numpy: Any, numpy_print: dict[str, Any], seed: int) -> None:
    """Undo what a previous snippet may have changed and seed every generator with ``seed``."""
    random.seed(seed)
    if numpy is not None:
        numpy.set_printoptions(**numpy_print)
        numpy.random.seed(seed % 2**32)
    if torch is not None:
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default")
        torch.set_grad_enabled(True)
        torch.manual_seed(seed)


def _run_one(code: str, name: str, timeout: float) -> tuple[str, str | None]:
    """Exec ``code`` in a fresh namespace; return (captured stdout, error or None)."""
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    error: str | None = None
    use_alarm = hasattr(signal, "setitimer") and timeout > 0
    with warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        try:
            compiled = compile(code, f"<{name}>", "exec")
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                exec(compiled, namespace)
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except SnippetTimeout:
            error = f"timed out after {timeout:g} s"
        except BaseException as exc:  # noqa: BLE001 - a snippet's failure is a result, not a crash
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return out.getvalue(), error


def _emit(stream: TextIO, record: dict[str, Any]) -> None:
    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    stream.flush()


def main(argv: list[str]) -> int:
    """Run the job read from stdin, writing JSON lines to ``argv[1]``."""
    job = json.load(sys.stdin)
    torch, numpy = _import_libraries()
    numpy_print = numpy.get_printoptions() if numpy is not None else {}
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_alarm)
    timeout = float(job["timeout"])
    seed = int(job["seed"])
    with open(argv[1], "w", encoding="utf-8") as results:
        _emit(
            results,
            {
                "event": "versions",
                "torch": getattr(torch, "__version__", None),
                "numpy": getattr(numpy, "__version__", None),
                "python": platform.python_version(),
            },
        )
        for index, snippet in enumerate(job["snippets"]):
            _emit(results, {"event": "start", "id": snippet["id"]})
            _reset_state(torch, numpy, numpy_print, seed * 100_003 + index)
            started = time.perf_counter()
            stdout, error = _run_one(snippet["code"], snippet["id"], timeout)
            _emit(
                results,
                {
                    "event": "done",
                    "id": snippet["id"],
                    "stdout": stdout,
                    "error": error,
                    "seconds": round(time.perf_counter() - started, 4),
                },
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
