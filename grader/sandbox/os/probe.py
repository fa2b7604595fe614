"""Probe each sandbox layer in a throwaway forked child: does it really take effect here?

A layer counts as available only when a child that applied it then *failed* to do what the layer
forbids: read a file outside the allowed set, connect to a listener the parent opened, fork, signal
the parent, write past the file-size limit... A fixed list of "supported" layers would lie on
kernels, containers and distributions that refuse one quietly.

:func:`run_forked` is the small fork-and-collect helper the probes (and the tests) use.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import select
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox.os import _libc, landlock, limits, namespaces, privileges, seccomp
from grader.sandbox.os.plan import (
    LAYERS,
    SandboxSpec,
    enter_network_namespace,
    landlock_rules,
    uid_drop_reason,
)

_PAYLOAD_LIMIT = 1 << 20


@dataclass(frozen=True)
class ChildOutcome:
    """How a forked child ended."""

    value: Any
    """What the function returned (JSON round-tripped), or None."""
    error: str | None
    """``Type: message`` when the function raised, or a note when no result came back."""
    exit_code: int | None
    """The exit status, when the child exited."""
    signal: int | None
    """The signal that killed the child, when one did."""
    timed_out: bool
    """True when the parent killed the child at the timeout."""
    elapsed: float
    """Seconds from fork to the child's end."""
    cpu_seconds: float = 0.0
    """CPU time the child used (user + system, from ``wait4``)."""


def run_forked(fn: Callable[[], Any], timeout: float = 10.0) -> ChildOutcome:
    """Run ``fn`` in a forked child and return its JSON-able result (or how the child died).

    The child sends its result over a pipe and leaves with ``os._exit``; the parent kills it with
    SIGKILL at ``timeout`` and always reaps it.
    """
    read_end, write_end = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(read_end)
            try:
                payload = {"value": fn()}
            except BaseException as exc:  # everything is reported to the parent
                payload = {"error": f"{type(exc).__name__}: {exc}"}
            data = json.dumps(payload, default=repr).encode()
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            if sum(map(len, chunks)) < _PAYLOAD_LIMIT:
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            _kill(pid)
        _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    value, error = None, None
    reply: Any
    try:
        reply = json.loads(b"".join(chunks)) if chunks else None
    except ValueError:
        reply = None
    if isinstance(reply, dict):
        value, error = reply.get("value"), reply.get("error")
    elif not timed_out:
        error = "the child sent no result"
    return ChildOutcome(
        value=value,
        error=error,
        exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        timed_out=timed_out,
        elapsed=elapsed,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class _Context:
    """What the parent sets up for the probes: a scratch folder, a secret, a TCP listener."""

    scratch: Path
    secret: Path
    port: int
    parent: int


@contextmanager
def _context() -> Iterator[_Context]:
    root = Path(tempfile.mkdtemp(prefix="grader-probe-"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        scratch = root / "scratch"
        scratch.mkdir()
        os.chmod(root, 0o755)
        os.chmod(scratch, 0o777)
        secret = root / "secret.txt"
        secret.write_text("hidden")
        os.chmod(secret, 0o644)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield _Context(scratch, secret, listener.getsockname()[1], os.getpid())
    finally:
        listener.close()
        shutil.rmtree(root, ignore_errors=True)


def probe_all(timeout: float = 10.0) -> dict[str, str | None]:
    """Every layer mapped to None when a child proved it effective, else the reason."""
    if not _libc.IS_LINUX:
        return {name: "the OS sandbox needs Linux" for name in LAYERS}
    results: dict[str, str | None] = {}
    with _context() as ctx:
        for name in LAYERS:
            static = _static_reason(name)
            if static is not None:
                results[name] = static
                continue
            outcome = run_forked(functools.partial(_PROBES[name], ctx), timeout)
            if outcome.timed_out:
                results[name] = f"the probe did not finish within {timeout:g} s"
            elif outcome.error is not None:
                results[name] = f"the probe failed: {outcome.error}"
            else:
                results[name] = outcome.value
    return results


def _static_reason(name: str) -> str | None:
    if name == "rlimits":
        return limits.unavailable_reason()
    if name == "netns":
        return namespaces.unavailable_reason()
    if name == "seccomp":
        return seccomp.unavailable_reason()
    if name.startswith("landlock-"):
        return landlock.unavailable_reason(name)
    if name == "uid-drop":
        return uid_drop_reason(SandboxSpec(cpu_seconds=1, memory_bytes=None))
    return None


def _refused(action: Callable[[], object], *errnos: int) -> bool:
    """True when ``action`` fails with one of ``errnos`` (or MemoryError when none is given)."""
    try:
        action()
    except MemoryError:
        return not errnos
    except OSError as exc:
        return exc.errno in errnos
    return False


def _probe_rlimits(ctx: _Context) -> str | None:
    vm_kib = int((_libc.status_field("VmSize") or "0 kB").split()[0])
    spec = SandboxSpec(cpu_seconds=30, memory_bytes=(vm_kib << 10) + (64 << 20), file_bytes=4096)
    limits.apply(spec)
    big = ctx.scratch / f"fsize-{os.getpid()}"
    try:
        if not _refused(lambda: big.write_bytes(b"x" * 8192), errno.EFBIG):
            return "a write past RLIMIT_FSIZE succeeded"
    finally:
        big.unlink(missing_ok=True)
    if not _refused(lambda: bytearray(256 << 20)):
        return "an allocation past RLIMIT_AS succeeded"
    return None


def _probe_netns(ctx: _Context) -> str | None:
    try:
        enter_network_namespace()
    except OSError as exc:
        return exc.strerror or str(exc)
    with socket.socket() as client:
        client.settimeout(2)
        if not _refused(lambda: client.connect(("127.0.0.1", ctx.port)), *_NET_ERRNOS):
            return "a TCP connect to 127.0.0.1 still worked in the new namespace"
    return None


_NET_ERRNOS = (errno.ENETUNREACH, errno.ECONNREFUSED, errno.EACCES, errno.EPERM)


def _probe_uid_drop(ctx: _Context) -> str | None:
    if os.geteuid() != 0:
        return None
    spec = SandboxSpec(cpu_seconds=1, memory_bytes=None)
    gid = privileges.drop_gid_for(spec.drop_uid)
    privileges.drop_uid(spec.drop_uid, gid)
    if os.geteuid() == 0:
        return "the uid is still 0"
    if not _refused(lambda: os.setuid(0), errno.EPERM):
        return "setuid(0) worked after the drop"
    try:
        Path(os.__file__).read_bytes()
        Path(json.__file__).read_bytes()
    except OSError as exc:
        return f"the runtime is unreadable after the drop: {exc}"
    return None


def _probe_cap_drop(ctx: _Context) -> str | None:
    if not privileges.has_capabilities():
        return None
    try:
        privileges.drop_capabilities()
    except OSError as exc:
        return f"capset refused: {exc.strerror}"
    if privileges.has_capabilities():
        return "capabilities remain after capset"
    return None


def _probe_no_new_privs(ctx: _Context) -> str | None:
    privileges.set_no_new_privs()
    if _libc.prctl(_libc.PR_GET_NO_NEW_PRIVS) != 1:
        return "PR_GET_NO_NEW_PRIVS is not set"
    if _libc.prctl(_libc.PR_GET_DUMPABLE) != 0:
        return "the process is still dumpable"
    return None


def _landlock(ctx: _Context, *, fs: bool = False, net: bool = False, scope: bool = False) -> None:
    rules = landlock_rules(SandboxSpec(cpu_seconds=1, memory_bytes=None, scratch=ctx.scratch))
    _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
    landlock.restrict(rules, fs=fs, net=net, scope=scope)


def _probe_landlock_fs(ctx: _Context) -> str | None:
    _landlock(ctx, fs=True)
    if not _refused(ctx.secret.read_bytes, errno.EACCES):
        return "a file outside the allowed set was still readable"
    if not _refused(lambda: (ctx.secret.parent / "out.txt").write_text("x"), errno.EACCES):
        return "a file outside the scratch folder could be written"
    try:
        Path(os.__file__).read_bytes()
        (ctx.scratch / f"ok-{os.getpid()}").write_text("x")
    except OSError as exc:
        return f"an allowed access was refused: {exc}"
    return None


def _probe_landlock_net(ctx: _Context) -> str | None:
    _landlock(ctx, net=True)
    with socket.socket() as client:
        client.settimeout(2)
        if not _refused(lambda: client.connect(("127.0.0.1", ctx.port)), errno.EACCES):
            return "a TCP connect to a loopback listener still worked"
    return None


def _probe_landlock_scope(ctx: _Context) -> str | None:
    _landlock(ctx, scope=True)
    if not _refused(lambda: os.kill(ctx.parent, 0), errno.EPERM):
        return "the parent could still be signalled"
    return None


def _probe_seccomp(ctx: _Context) -> str | None:
    seccomp.install()
    try:
        pid = os.fork()
    except OSError as exc:
        if exc.errno != errno.EPERM:
            return f"fork failed with an unexpected error: {exc}"
    else:
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return "fork still worked"
    if not _refused(socket.socket, errno.EPERM):
        return "a socket could still be created"
    return None


_PROBES: dict[str, Callable[[_Context], str | None]] = {
    "rlimits": _probe_rlimits,
    "netns": _probe_netns,
    "uid-drop": _probe_uid_drop,
    "cap-drop": _probe_cap_drop,
    "no-new-privs": _probe_no_new_privs,
    "landlock-fs": _probe_landlock_fs,
    "landlock-net": _probe_landlock_net,
    "landlock-scope": _probe_landlock_scope,
    "seccomp": _probe_seccomp,
}
