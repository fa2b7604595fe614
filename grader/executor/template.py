"""The executor template: a fork server that has torch imported and has never seen a check.

The warm process forks it before any check or solution file is read (the judge is forked after
it). The judge sends it the submission once, then asks for executors: the template forks each one
with a fresh scratch folder, a socket for requests and one pipe for the executor's stdout and
stderr, and passes the judge's ends over ``SCM_RIGHTS``. It reaps executors on request and, when
the judge's end of the control socket closes, kills what is left and exits.

Control messages are JSON over a ``SOCK_SEQPACKET`` socket pair (one message, one datagram).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

_CHUNK = 32 * 1024
_MAX_MESSAGE = 64 * 1024


def _send(sock: socket.socket, msg: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(msg).encode()
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def _recv(sock: socket.socket, maxfds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    if maxfds:
        data, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, maxfds)
    else:
        data, fds = sock.recv(_MAX_MESSAGE), []
    if not data:
        return None, fds
    return json.loads(data), fds


class TemplateClient:
    """The judge's (and the warm process's) view of a template process."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock

    def send_job(self, job: dict[str, Any], hide: list[str]) -> str:
        """Hand the template the submission; returns why it cannot be compiled ('' if it can)."""
        source = job["source"].encode("utf-8")
        chunks = [source[i : i + _CHUNK] for i in range(0, len(source), _CHUNK)]
        header = {k: v for k, v in job.items() if k != "source"}
        _send(self.sock, {"op": "job", "job": header, "hide": hide, "chunks": len(chunks)})
        for chunk in chunks:
            self.sock.send(chunk)
        reply, _ = _recv(self.sock)
        if reply is None or not reply.get("ok"):
            raise OSError("the executor template did not accept the submission")
        return str(reply.get("problem") or "")

    def spawn(self) -> tuple[int, socket.socket, int]:
        """A fresh executor: its pid, the request socket and the read end of its output pipe."""
        _send(self.sock, {"op": "spawn"})
        reply, fds = _recv(self.sock, maxfds=2)
        if reply is None or "pid" not in reply or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise OSError("the executor template could not start an executor")
        chan = socket.socket(fileno=fds[0])
        return int(reply["pid"]), chan, fds[1]

    def usage(self, pid: int) -> tuple[int, int]:
        """Files and bytes in executor ``pid``'s scratch folder, as this side of its mounts sees
        it (counted with lstat only; empty when the executor has a private tmpfs)."""
        _send(self.sock, {"op": "usage", "pid": pid})
        reply, _ = _recv(self.sock)
        return (int(reply.get("files", 0)), int(reply.get("bytes", 0))) if reply else (0, 0)

    def reap(self, pid: int) -> int:
        """Kill executor ``pid`` (if still running) and return its wait status."""
        _send(self.sock, {"op": "reap", "pid": pid})
        reply, _ = _recv(self.sock)
        return int(reply.get("status", 0)) if reply else 0

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def wait(self, timeout: float = 5.0) -> None:
        """In the process that forked the template: reap it (kill it after ``timeout``)."""
        self.close()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return
            if done:
                return
            time.sleep(0.005)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def fork_template() -> TemplateClient:
    """Fork the template from this (warm, single-threaded, op-free) process."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        ours.close()
        _template_main(theirs)
    theirs.close()
    return TemplateClient(pid, ours)


def _template_main(ctl: socket.socket) -> NoReturn:
    from grader.executor.serve import _set_pdeathsig

    _set_pdeathsig()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    root = Path(tempfile.mkdtemp(prefix="grader-exec-"))
    os.chmod(root, 0o711)
    children: dict[int, Path] = {}
    try:
        _serve(ctl, root, children)
    except BaseException:  # noqa: BLE001 - the template ends; the judge sees the socket close
        pass
    finally:
        for pid in children:
            _kill_and_wait(pid)
        shutil.rmtree(root, ignore_errors=True)
        os._exit(0)


def _kill_and_wait(pid: int) -> int:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 0
    return status


def _serve(ctl: socket.socket, root: Path, children: dict[int, Path]) -> None:
    from grader.executor.serve import Job, executor_main

    job: Job | None = None
    code: Any = None
    while True:
        msg, _ = _recv(ctl)
        if msg is None:
            return
        op = msg.get("op")
        if op == "job":
            parts = [ctl.recv(_CHUNK) for _ in range(int(msg["chunks"]))]
            data = dict(msg["job"], source=b"".join(parts).decode("utf-8"))
            job = Job.from_dict(data)
            code, problem = _prepare(job, [str(p) for p in msg.get("hide", [])])
            _send(ctl, {"ok": True, "problem": problem})
        elif op == "spawn" and job is not None:
            chan_judge, chan_exec = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            out_r, out_w = os.pipe()
            scratch = Path(tempfile.mkdtemp(dir=root))
            pid = os.fork()
            if pid == 0:
                ctl.close()
                chan_judge.close()
                os.close(out_r)
                executor_main(job, code, chan_exec, out_w, scratch)
            chan_exec.close()
            os.close(out_w)
            children[pid] = scratch
            _send(ctl, {"pid": pid}, [chan_judge.fileno(), out_r])
            chan_judge.close()
            os.close(out_r)
        elif op == "usage":
            from grader.sandbox.os import scratch as scratch_quota

            where = children.get(int(msg.get("pid", 0)))
            used = scratch_quota.usage(where) if where is not None else scratch_quota.Usage(0, 0)
            _send(ctl, {"files": used.files, "bytes": used.bytes})
        elif op == "reap":
            pid = int(msg.get("pid", 0))
            status = _kill_and_wait(pid) if pid in children else 0
            scratch = children.pop(pid, None)
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            _send(ctl, {"status": status})
        else:
            _send(ctl, {"error": f"bad request {op!r}"})


NATIVE_PRELOAD = ("_lsprof", "_statistics", "termios")
"""Native stdlib extensions that torch imports lazily (the first ``optimizer.step()`` imports
``torch._dynamo``, which imports these)."""


def _import_allowed_modules(allow: tuple[str, ...]) -> None:
    """Import every module the policy admits (and :data:`NATIVE_PRELOAD`), so their native
    libraries are mapped before the executor's seccomp filter refuses new executable mappings."""
    import importlib

    for name in NATIVE_PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    try:
        from grader.sandbox.policy.config import config_for, normalise_allow

        names = list(config_for(normalise_allow(allow)).modules)
    except (ImportError, ValueError):
        return
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module this install lacks stays unimportable
            pass


def _prepare(job: Any, hide: list[str]) -> tuple[Any, str]:
    """Compile the submission once for every executor; hide the course from them.

    Returns the code and, when it cannot be compiled, why (the judge reports compile errors
    itself when it grades; plain pytest authoring runs show this text)."""
    import sys

    from grader.executor import serve

    if hide:
        try:
            from grader.sandbox.os import layers

            layers.hide(hide)
        except ImportError:  # the OS layer is optional (e.g. on macOS)
            pass
    _import_allowed_modules(job.allow)
    if "optim" in job.source and "torch._dynamo" not in sys.modules:
        import torch._dynamo  # noqa: F401  (the first optimizer imports it: once here, not per executor)
    if serve._UNSANDBOXED_FOR_TESTS:
        return None, ""
    from grader.sandbox import policy

    try:
        return policy.compile_submission(job.source, job.filename, allow=job.allow), ""
    except policy.PolicyViolation as exc:
        found = getattr(exc, "all", None) or [exc]
        return None, "; ".join(f"line {getattr(v, 'lineno', '?')}: {v.en}" for v in found)[:4000]
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:4000]
