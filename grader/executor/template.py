"""The executor template: a fork server that has torch imported and has never seen a check.

The warm process forks it before any check or solution file is read (the judge is forked after
it). The judge sends it the submission once, then asks for executors: the template forks each one
with a fresh scratch folder, a socket for requests and one pipe for the executor's stdout and
stderr, and passes the judge's ends over ``SCM_RIGHTS``. It reaps executors on request and, when
the judge's end of the control socket closes, kills what is left and exits.

Control messages are JSON over a ``SOCK_SEQPACKET`` socket pair (one message, one datagram).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from grader.processes import close_other_fds, die_with_parent
from grader.protocol import CONTROL_CHUNK, TemplateClient, recv_control, send_control


def _sandbox_fds() -> tuple[int, ...]:
    """Descriptors the sandbox prepared in the warm process (the shared network namespace)."""
    try:
        from grader.sandbox.os.layers import inherited_fds
    except ImportError:
        return ()
    return inherited_fds()


def fork_template() -> TemplateClient:
    """Fork the template from this (warm, single-threaded, op-free) process."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        # Only its control socket: a copy of the warm process's other descriptors (its pipes,
        # judge templates' sockets) would keep them open for as long as this template lives.
        close_other_fds({0, 1, 2, theirs.fileno(), *_sandbox_fds()})
        _template_main(theirs)
    theirs.close()
    return TemplateClient(pid, ours)


ROOT_PREFIX = "grader-exec-"
"""A template's scratch root is ``grader-exec-<pid>-<random>`` in the temporary folder."""


def _sweep_stale_roots() -> None:
    """Remove the scratch roots of templates that were killed before they could (a cancelled
    grade kills the whole worker group): those whose pid no longer runs."""
    import re

    pattern = re.compile(rf"{ROOT_PREFIX}(\d+)-")
    base = Path(tempfile.gettempdir())
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None or not entry.is_dir() or entry.is_symlink():
            continue
        try:
            if entry.stat().st_uid != os.geteuid():
                continue
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (OSError, ValueError):
            continue


def _template_main(ctl: socket.socket) -> NoReturn:
    die_with_parent()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _sweep_stale_roots()
    root = Path(tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-"))
    os.chmod(root, 0o711)
    children: dict[int, Path] = {}
    try:
        _serve(ctl, root, children)
    except BaseException:  # the template ends; the judge sees the socket close
        pass
    finally:
        for pid in children:
            _kill_and_wait(pid)
        shutil.rmtree(root, ignore_errors=True)
        os._exit(0)


def _has_private_tmpfs(pid: Any, children: dict[int, Path]) -> bool:
    """Whether executor ``pid`` has its scratch folder on the quota'd tmpfs, as the kernel says
    (its mount table; it cannot unmount it: seccomp refuses umount2)."""
    scratch = children.get(pid) if type(pid) is int else None
    if scratch is None:
        return False
    try:
        with open(f"/proc/{pid}/mountinfo", encoding="utf-8") as fh:
            for line in fh:
                fields = line.split()
                if (
                    len(fields) > 8
                    and fields[4] == str(scratch)
                    and "tmpfs" in fields[fields.index("-") + 1 :][:1]
                ):
                    return True
    except (OSError, ValueError):
        return False
    return False


SCRATCH_FILE_LIMIT = 64 << 20
"""Bytes of a file in an executor's scratch folder the judge may be handed."""


def _open_scratch_file(
    msg: dict[str, Any], children: dict[int, Path]
) -> tuple[dict[str, Any], list[int]]:
    """Open a file the executor wrote, as the executor sees it (through its mount namespace), for
    the judge: a plain name, never following a link, never blocking on a FIFO, a regular file of
    at most :data:`SCRATCH_FILE_LIMIT` bytes. The judge gets the descriptor, not a path."""
    import stat as stat_module

    pid = msg.get("pid")
    name = msg.get("name")
    scratch = children.get(pid) if type(pid) is int else None
    if scratch is None:
        return {"error": "gone"}, []
    if type(name) is not str or not name or "/" in name or name in (".", "..") or len(name) > 200:
        return {"error": "name"}, []
    path = f"/proc/{pid}/root{scratch}/{name}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        return {"error": "missing"}, []
    except OSError as exc:
        return {"error": "unreadable", "detail": exc.strerror or str(exc)}, []
    st = os.fstat(fd)
    if not stat_module.S_ISREG(st.st_mode):
        os.close(fd)
        return {"error": "not-a-file"}, []
    if st.st_size > SCRATCH_FILE_LIMIT:
        os.close(fd)
        return {"error": "too-large", "size": st.st_size}, []
    return {"ok": True, "size": st.st_size}, [fd]


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
        msg, _ = recv_control(ctl)
        if msg is None:
            return
        op = msg.get("op")
        if op == "job":
            parts = [ctl.recv(CONTROL_CHUNK) for _ in range(int(msg["chunks"]))]
            data = dict(msg["job"], source=b"".join(parts).decode("utf-8"))
            job = Job.from_dict(data)
            code, problem = _prepare(job, [str(p) for p in msg.get("hide", [])])
            send_control(ctl, {"ok": True, "problem": problem})
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
            send_control(ctl, {"pid": pid}, [chan_judge.fileno(), out_r])
            chan_judge.close()
            os.close(out_r)
        elif op == "usage":
            from grader.sandbox.os import scratch as scratch_quota

            where = children.get(int(msg.get("pid", 0)))
            used = scratch_quota.usage(where) if where is not None else scratch_quota.Usage(0, 0)
            send_control(
                ctl,
                {
                    "files": used.files,
                    "bytes": used.bytes,
                    "max_files": scratch_quota.QUOTA_FILES,
                    "max_bytes": scratch_quota.QUOTA_BYTES,
                },
            )
        elif op == "quota_kept":
            send_control(ctl, {"kept": _has_private_tmpfs(msg.get("pid"), children)})
        elif op == "open":
            reply, fds = _open_scratch_file(msg, children)
            send_control(ctl, reply, fds)
            for fd in fds:
                os.close(fd)
        elif op == "reap":
            pid = int(msg.get("pid", 0))
            status = _kill_and_wait(pid) if pid in children else 0
            reaped: Path | None = children.pop(pid) if pid in children else None
            if reaped is not None:
                shutil.rmtree(reaped, ignore_errors=True)
            send_control(ctl, {"status": status})
        else:
            send_control(ctl, {"error": f"bad request {op!r}"})


NATIVE_PRELOAD = ("_lsprof", "_statistics", "termios", "unicodedata", "numpy.fft")
"""Native extensions torch imports lazily (the first ``optimizer.step()``, or an op on a meta
tensor, imports ``torch._dynamo``, which imports these): mapped before the seccomp filter, in case
the scratch folder could not be a ``noexec`` tmpfs and the filter is the only guard."""


def import_allowed_modules(allow: tuple[str, ...]) -> None:
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
        except Exception:  # a module this install lacks stays unimportable
            pass


def _prepare(job: Any, hide: list[str]) -> tuple[Any, dict[str, Any] | None]:
    """Compile the submission once for every executor; hide the course from them.

    Returns the code, or why the submission cannot run at all (a verdict for every check)."""
    import sys

    from grader.executor import serve

    if hide:
        try:
            from grader.sandbox.os import layers

            layers.hide(hide)
        except ImportError:  # the OS layer is optional (e.g. on macOS)
            pass
    import_allowed_modules(job.allow)
    if "optim" in job.source and "torch._dynamo" not in sys.modules:
        import torch._dynamo  # noqa: F401  (the first optimizer imports it: once here, not per executor)
    if serve._UNSANDBOXED_FOR_TESTS:
        return None, None
    from grader.executor.compile import compile_verdict

    return compile_verdict(job.source, job.filename, job.allow, job.deny)
