"""Runs ``code_output`` snippets and ``verify`` blocks bank by bank in warm interpreters; started
by ``snippets.py``.

Usage: ``python _runner.py RESULTS_DIR`` with a JSON job on stdin::

    {"seed": 1, "timeout": 10.0, "fork": true,
     "banks": [[{"id": "...", "code": "...", "requires": ["torchvision"]}, ...], ...]}

``requires`` (optional) names modules a snippet needs: when one cannot be found the snippet is not
run and its record says ``"skipped": "torchvision"``.

torch and numpy are imported once. With ``"fork": true`` (POSIX) every bank then runs in its own
child forked from this warm interpreter (so a crash or a hang stays inside its bank and costs no
second torch import), and after a snippet that timed out the rest of its bank runs in a fresh
child (an interrupted snippet may have left a module half imported or a global half set);
otherwise the banks run in this process. In a bank, every snippet is
exec()'d in a fresh namespace with its stdout captured, after resetting the global state a
snippet may change (default dtype, print options, grad mode, warning filters) and seeding the
random generators from the job's ``seed``, so that a snippet relying on unseeded randomness prints
different values in the two runs. Nothing here runs a torch operation before forking.

Results are JSON lines in RESULTS_DIR, flushed one by one, so the parent still learns what
finished (and which snippet was running) when a bank must be killed:

    versions.json   {"torch": "2.13.0+cpu", "numpy": "2.4.6", "python": "3.11.9"}
    bank-<i>.jsonl  {"event": "start", "id": ...} / {"event": "done", "id": ..., "stdout": ...,
                    "error": null | "...", "error_types": [...], "error_message": "...",
                    "skipped": null | "module", "seconds": 0.01}

``error`` is the exception as Python prints its last line; ``error_types`` names its class and
every base class, each both bare and qualified (``OutOfMemoryError``, ``torch.OutOfMemoryError``,
``RuntimeError``, ``builtins.RuntimeError``, ...), and ``error_message`` is ``str()`` of it.
    status.jsonl    {"bank": i, "status": "ok" | "killed after 25 s" | "exit status 1" | ...}

This file is standalone on purpose: it imports nothing from ``grader``.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import io
import json
import os
import platform
import random
import signal
import sys
import time
import traceback
import warnings
from typing import Any, TextIO

LAZY_HEAVY = ("optim", "torch.jit", "torch.compile", "torch.export", "_dynamo")
"""Snippet text that hints at torch's lazily imported heavy parts (torch._dynamo: ~2 s to import;
torch.export needs it too)."""
RESTART = 75
"""A forked bank's exit status after a snippet timed out: the parent forks a fresh child for
the snippets after it."""
BANK_MARGIN = 5.0
"""Seconds a forked bank gets on top of its snippets' timeouts before it is killed."""


class SnippetTimeout(BaseException):
    """Raised in a snippet that runs past its time limit (BaseException: snippets cannot catch it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise SnippetTimeout


def _import_libraries(warm: bool) -> tuple[Any, Any]:
    """Import torch and numpy (and, to ``warm`` a fork parent, torch's lazy heavy parts) once.

    A missing library is not an error here: the snippets that need it report it.
    """
    numpy: Any
    try:
        import numpy
    except ImportError:
        numpy = None
    try:
        import torch
    except ImportError:
        return None, numpy
    if warm:
        try:
            # Optimizers' step() lazily imports torch._dynamo (hundreds of modules, ~2 s); before
            # forking, importing it once spares every bank that cost. An import runs no torch op.
            import torch._dynamo
        except Exception:  # only a warm-up; snippets report real failures
            pass
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


def _names(cls: type) -> list[str]:
    """The bare and qualified names of ``cls`` and of each of its bases, most derived first."""
    names: list[str] = []
    for base in cls.__mro__:
        if base is object:
            break
        for name in (base.__name__, f"{base.__module__}.{base.__qualname__}"):
            if name not in names:
                names.append(name)
    public = getattr(cls, "__module__", "").split(".")[0]
    if public and public != "builtins" and f"{public}.{cls.__name__}" not in names:
        names.insert(2, f"{public}.{cls.__name__}")  # torch.OutOfMemoryError, however defined
    return names


def _missing(modules: list[str]) -> str | None:
    """The first module of ``modules`` that cannot be imported here, or None."""
    for module in modules:
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except (ImportError, ValueError):
            return module
    return None


def _run_one(code: str, name: str, timeout: float) -> tuple[str, str | None, dict[str, Any]]:
    """Exec ``code`` in a fresh namespace; return (captured stdout, error or None, details of
    the exception: its class names and message)."""
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    error: str | None = None
    details: dict[str, Any] = {}
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
            details = {"timed_out": True}
        except BaseException as exc:  # a snippet's failure is a result, not a crash
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            details = {"error_types": _names(type(exc)), "error_message": str(exc)}
    return out.getvalue(), error, details


def _emit(stream: TextIO, record: dict[str, Any]) -> None:
    stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    stream.flush()


def _run_bank(
    snippets: list[dict[str, Any]],
    path: str,
    libraries: tuple[Any, Any, dict[str, Any]],
    seed: int,
    timeout: float,
    start: int = 0,
    stop_after_timeout: bool = False,
) -> int | None:
    """Run one bank's snippets in order from ``start``, appending JSON lines to ``path``.

    With ``stop_after_timeout``, stop after a snippet that timed out and return the index of the
    next one: a snippet interrupted anywhere (in the middle of an import, holding a half-set
    global) leaves this interpreter in a state the next snippet must not inherit. None: the
    bank is done.
    """
    torch, numpy, numpy_print = libraries
    with open(path, "w" if start == 0 else "a", encoding="utf-8") as results:
        for index in range(start, len(snippets)):
            snippet = snippets[index]
            _emit(results, {"event": "start", "id": snippet["id"]})
            missing = _missing(list(snippet.get("requires", ())))
            if missing is not None:
                record = {"event": "done", "id": snippet["id"], "stdout": "", "error": None}
                _emit(results, {**record, "skipped": missing, "seconds": 0.0})
                continue
            _reset_state(torch, numpy, numpy_print, seed * 100_003 + index)
            started = time.perf_counter()
            stdout, error, details = _run_one(snippet["code"], snippet["id"], timeout)
            _emit(
                results,
                {
                    "event": "done",
                    "id": snippet["id"],
                    "stdout": stdout,
                    "error": error,
                    **details,
                    "skipped": None,
                    "seconds": round(time.perf_counter() - started, 4),
                },
            )
            if stop_after_timeout and details.get("timed_out"):
                return index + 1
    return None


def _wait(pid: int, limit: float) -> str:
    """Wait for a forked bank; kill it past ``limit`` seconds. Return its status text."""
    deadline = time.monotonic() + limit
    delay = 0.002
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return f"killed after {limit:g} s"
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    code = os.WEXITSTATUS(status)
    return "ok" if code == 0 else f"exit status {code}"


def _run_forked(
    snippets: list[dict[str, Any]],
    path: str,
    libraries: tuple[Any, Any, dict[str, Any]],
    seed: int,
    timeout: float,
) -> str:
    """Run one bank in children forked from this warm interpreter (a fresh one after each
    snippet that timed out, for the snippets after it); return the status text."""
    start = 0
    while True:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the bank, then leave without running any cleanup
            code = 0
            try:
                after = _run_bank(
                    snippets, path, libraries, seed, timeout, start, stop_after_timeout=True
                )
                code = 0 if after is None else RESTART
            except BaseException:  # reported through the exit status
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        outcome = _wait(pid, timeout * (len(snippets) - start) + BANK_MARGIN)
        if outcome != f"exit status {RESTART}":
            return outcome
        start = _finished(path)


def _finished(path: str) -> int:
    """How many snippets of a bank have a ``done`` record in its results file."""
    with open(path, encoding="utf-8") as results:
        return sum(json.loads(line).get("event") == "done" for line in results if line.strip())


def main(argv: list[str]) -> int:
    """Run the job read from stdin, writing results into the folder ``argv[1]``."""
    job = json.load(sys.stdin)
    folder = argv[1]
    fork = bool(job.get("fork")) and hasattr(os, "fork")
    heavy = sum(
        any(word in snippet["code"] for snippet in bank for word in LAZY_HEAVY)
        for bank in job["banks"]
    )
    # Warm the parent only when it saves work: two or more forked banks would each import it.
    torch, numpy = _import_libraries(warm=fork and heavy >= 2)
    libraries = (torch, numpy, numpy.get_printoptions() if numpy is not None else {})
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_alarm)
    timeout = float(job["timeout"])
    seed = int(job["seed"])
    versions = {
        "torch": getattr(torch, "__version__", None),
        "numpy": getattr(numpy, "__version__", None),
        "python": platform.python_version(),
    }
    with open(os.path.join(folder, "versions.json"), "w", encoding="utf-8") as handle:
        json.dump(versions, handle)
    with open(os.path.join(folder, "status.jsonl"), "w", encoding="utf-8") as status:
        for index, snippets in enumerate(job["banks"]):
            path = os.path.join(folder, f"bank-{index}.jsonl")
            if fork:
                outcome = _run_forked(snippets, path, libraries, seed, timeout)
            else:
                _run_bank(snippets, path, libraries, seed, timeout)
                outcome = "ok"
            _emit(status, {"bank": index, "status": outcome})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
