"""Runs ``code_output`` snippets and ``verify`` blocks bank by bank in warm interpreters; started
by ``snippets.py``.

Usage: ``python _runner.py RESULTS_DIR`` with a JSON job on stdin::

    {"seed": 1, "timeout": 10.0, "fork": true,
     "banks": [[{"id": "...", "code": "...", "requires": ["torchvision"]}, ...], ...]}

(A fresh interpreter started for the rest of a bank after a timeout gets ``"fork": false``,
one bank, and ``"resume": {"bank": i, "start": n}``: run that bank from its snippet ``n`` on,
appending to ``bank-<i>.jsonl``.)

``requires`` (optional) names modules a snippet needs: when one cannot be found the snippet is not
run and its record says ``"skipped": "torchvision"``.

torch and numpy are imported once. With ``"fork": true`` (POSIX) every bank then runs in its own
child forked from this warm interpreter (so a crash or a hang stays inside its bank and costs no
second torch import); otherwise the banks run in this process. In a bank, every snippet is
exec()'d in a fresh namespace with its stdout captured, after resetting the global state a
snippet may change (default dtype, print options, grad mode, warning filters) and seeding the
random generators from the job's ``seed``, so that a snippet relying on unseeded randomness prints
different values in the two runs. Nothing here runs a torch operation before forking.

A snippet that times out may have been stopped anywhere, e.g. halfway through importing a module:
that module is dropped from ``sys.modules`` but what it had imported or registered (submodules,
torch operators, a registry entry) stays, so importing it again fails or behaves differently.
So the process a snippet timed out in runs nothing more: the rest of its bank runs in a fresh
child forked from the warm interpreter (with fork), or in a fresh interpreter started for it
(without). Either way every later snippet starts as clean as the first.

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
import subprocess
import sys
import time
import traceback
import warnings
from typing import Any, TextIO

LAZY_HEAVY = ("optim", "torch.jit", "torch.compile", "torch.export", "_dynamo")
"""Snippet text that hints at torch's lazily imported heavy parts (torch._dynamo: ~2 s to import;
torch.export needs it too)."""
BANK_MARGIN = 5.0
"""Seconds a forked bank gets on top of its snippets' timeouts before it is killed."""
STARTUP_ALLOWANCE = 120.0
"""Seconds a fresh interpreter (started after a timeout, without fork) gets for importing torch."""
RESTART_EXIT = 75
"""Exit status of a forked bank that stopped after a snippet timed out, leaving snippets to run."""


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


def _run_one(code: str, name: str, timeout: float) -> tuple[str, str | None, dict[str, Any], bool]:
    """Exec ``code`` in a fresh namespace; return (captured stdout, error or None, details of
    the exception: its class names and message, whether it timed out)."""
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    error: str | None = None
    details: dict[str, Any] = {}
    timed_out = False
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
            timed_out = True
        except BaseException as exc:  # a snippet's failure is a result, not a crash
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            details = {"error_types": _names(type(exc)), "error_message": str(exc)}
    return out.getvalue(), error, details, timed_out


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
) -> int | None:
    """Run one bank's snippets in order from index ``start``, appending JSON lines to ``path``.

    Stops after a snippet that timed out and returns the index of the next one (None once the
    bank is done): this process may hold a half-imported module now, and must run no more.
    """
    torch, numpy, numpy_print = libraries
    with open(path, "a", encoding="utf-8") as results:
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
            stdout, error, details, timed_out = _run_one(snippet["code"], snippet["id"], timeout)
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
            if timed_out and index + 1 < len(snippets):
                return index + 1
    return None


def _wait(pid: int, limit: float) -> str:
    """Wait for a forked bank; kill it past ``limit`` seconds. Return its status text
    (``"restart"`` for :data:`RESTART_EXIT`)."""
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
    if code == RESTART_EXIT:
        return "restart"
    return "ok" if code == 0 else f"exit status {code}"


def _done_count(path: str) -> int:
    """How many snippets of a bank have a ``done`` record in ``path``."""
    with open(path, encoding="utf-8") as handle:
        return sum(json.loads(line)["event"] == "done" for line in handle if line.strip())


def _run_forked(
    snippets: list[dict[str, Any]],
    path: str,
    libraries: tuple[Any, Any, dict[str, Any]],
    seed: int,
    timeout: float,
) -> str:
    """Run one bank in a child forked from this warm interpreter; return its status text.

    After a snippet times out, the rest of the bank runs in a new child forked from this
    (untouched) interpreter.
    """
    start = 0
    while True:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run the bank, then leave without running any cleanup
            code = 0
            try:
                if _run_bank(snippets, path, libraries, seed, timeout, start) is not None:
                    code = RESTART_EXIT
            except BaseException:  # reported through the exit status
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        status = _wait(pid, timeout * (len(snippets) - start) + BANK_MARGIN)
        if status != "restart":
            return status
        start = _done_count(path)


def _run_in_process(
    snippets: list[dict[str, Any]],
    path: str,
    libraries: tuple[Any, Any, dict[str, Any]],
    seed: int,
    timeout: float,
    bank: int,
    start: int = 0,
) -> str:
    """Run one bank in this interpreter (no fork); after a timeout, run the rest in a fresh
    interpreter started for it. Return the bank's status text."""
    rest = _run_bank(snippets, path, libraries, seed, timeout, start)
    if rest is None:
        return "ok"
    job = {
        "seed": seed,
        "timeout": timeout,
        "fork": False,
        "banks": [snippets],
        "resume": {"bank": bank, "start": rest},
    }
    limit = STARTUP_ALLOWANCE + timeout * (len(snippets) - rest) + BANK_MARGIN
    try:
        proc = subprocess.run(
            [sys.executable, os.path.abspath(__file__), os.path.dirname(path)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"killed after {limit:g} s"
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return f"exit status {proc.returncode}: " + " | ".join(tail)
    lines = proc.stdout.strip().splitlines()  # its status is the last line it printed
    return lines[-1] if lines else "ok"


def main(argv: list[str]) -> int:
    """Run the job read from stdin, writing results into the folder ``argv[1]``."""
    job = json.load(sys.stdin)
    folder = argv[1]
    resume = job.get("resume")
    fork = bool(job.get("fork")) and hasattr(os, "fork") and resume is None
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
    if resume is not None:  # the rest of a bank, after a timeout: its status goes to stdout
        bank = int(resume["bank"])
        path = os.path.join(folder, f"bank-{bank}.jsonl")
        start = int(resume["start"])
        print(_run_in_process(job["banks"][0], path, libraries, seed, timeout, bank, start))
        return 0
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
                outcome = _run_in_process(snippets, path, libraries, seed, timeout, index)
            _emit(status, {"bank": index, "status": outcome})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
