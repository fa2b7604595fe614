"""The checks of one submission in forked, hardened child processes.

The grading process forks a child that hardens itself (grader.sandbox.layers) and runs the
remaining checks one after the other, reporting each verdict as a JSON line on a pipe. The parent
enforces each check's wall-clock limit: when a check hangs or its process dies, the child is
SIGKILLed, that check alone gets an honest failing verdict, and a fresh child runs the rest — so
a hanging check costs only its own points. Nothing the submission prints can become a verdict.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import select
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.runner import plugin
from grader.runner.outcome import classify
from grader.runner.request import GradeRequest
from grader.runner.result import Message, Reason

_PR_SET_PDEATHSIG = 1
_LINE_LIMIT = 1 << 20
PER_CHECK_OUTPUT = 2_000

Verdict = dict[str, Any]


class _ExcRecorder:
    """Keeps the exception of the first failing phase of the item (setup, call, teardown)."""

    def __init__(self) -> None:
        self.exc: BaseException | None = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        if call.excinfo is not None and self.exc is None:
            self.exc = call.excinfo.value
        yield


def _set_pdeathsig() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _sandbox_spec(req: GradeRequest, scratch: Path, checks: int) -> Any:
    from grader.sandbox.layers import SandboxSpec

    cuda = req.device == "cuda"
    return SandboxSpec(
        # CPU time is a safety net for the whole child; each check's wall clock is enforced outside.
        cpu_seconds=max(1.0, req.time_limit) * checks + 1.0,
        memory_bytes=None if cuda else req.memory_mb * 1024 * 1024,
        scratch=scratch,
        cuda=cuda,
    )


def _sandbox_fds() -> tuple[int, ...]:
    """Descriptors the sandbox layers prepared in the warm parent (the shared network namespace)."""
    try:
        from grader.sandbox.layers import inherited_fds
    except ImportError:
        return ()
    return inherited_fds()


def _open_fds() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 256))


_TOKEN = ""
"""A random token the parent gives each child before forking: every message carries it, so bytes
the submission might push into the pipe (e.g. through /proc/self/fd) are never taken as a verdict."""


def _send(fd: int, msg: dict[str, Any]) -> None:
    msg["token"] = _TOKEN
    data = memoryview((json.dumps(msg) + "\n").encode())
    while data:
        data = data[os.write(fd, data) :]


def _flush_output() -> int:
    """Flush the submission's buffered output; return the capture file's current size."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        return os.lseek(1, 0, os.SEEK_CUR)
    except OSError:
        return 0


def _child_main(items: list[pytest.Item], req: GradeRequest, scratch: Path, fd: int) -> None:
    """Runs in the check child; never returns."""
    _set_pdeathsig()
    capture = os.open(scratch / ".output", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
    keep = {0, 1, 2, fd, *_sandbox_fds()}
    for other in _open_fds():
        if other not in keep:
            try:
                os.close(other)
            except OSError:
                pass
    os.chdir(scratch)
    from grader.sandbox.layers import available_layers, harden

    spec = _sandbox_spec(req, scratch, len(items))
    if os.geteuid() == 0 and available_layers().get("uid-drop") is None:
        # The child will run as spec.drop_uid: it must own its scratch folder and capture file.
        os.chown(scratch, spec.drop_uid, spec.drop_uid)
        os.chown(scratch / ".output", spec.drop_uid, spec.drop_uid)
    layers = list(harden(spec))
    import torch

    torch.set_num_threads(1)
    if req.device == "cuda":
        torch.cuda.set_per_process_memory_fraction(0.5)
    from _pytest.runner import runtestprotocol

    from grader.sandbox import policy

    ctx = plugin.CONTEXT
    assert ctx is not None
    recorder = _ExcRecorder()
    items[0].config.pluginmanager.register(recorder, "grader-exc-recorder")
    for index, item in enumerate(items):
        start = _flush_output()
        _send(fd, {"event": "start", "index": index, "offset": start})
        started = time.monotonic()
        policy.VIOLATIONS.clear()
        recorder.exc = None
        try:
            runtestprotocol(item, log=False, nextitem=None)
            verdict = classify(recorder.exc, filename=ctx.filename, source=ctx.source)
        except BaseException as exc:  # noqa: BLE001 - the check machinery itself was broken into
            verdict = classify(exc, filename=ctx.filename, source=ctx.source)
        end = _flush_output()
        _send(
            fd,
            {
                "event": "verdict",
                "index": index,
                "reason": str(verdict["reason"]),
                "message": {k: _clip(v) for k, v in verdict["message"].to_dict().items()},
                "traceback": _clip(verdict.get("traceback", "")),
                "line": verdict.get("line"),
                "layers": layers,
                "duration": time.monotonic() - started,
                "offset": end,
            },
        )
    os._exit(0)


def _clip(text: str, limit: int = 8_000) -> str:
    """Keep a verdict's texts (which can quote the submission) well under the pipe's line limit."""
    return text if len(text) <= limit else text[:limit] + "\n[…]"


class _Lines:
    """JSON lines from the child's pipe, with a deadline per read."""

    def __init__(self, fd: int, token: str) -> None:
        self.fd = fd
        self.token = token
        self.buf = b""
        self.eof = False
        self.broken = False
        """The pipe carried something that is not a message (too long, not JSON): the child may
        still be alive, blocked writing the rest, so it must be killed before it is waited for."""

    def next(self, deadline: float) -> dict[str, Any] | None:
        """The next message; None at end of file or when the deadline passed (see ``eof``)."""
        while b"\n" not in self.buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.eof:
                return None
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self.eof = True
                return None
            self.buf += chunk
            if len(self.buf) > _LINE_LIMIT:
                self.eof = self.broken = True
                return None
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            msg = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            self.eof = self.broken = True
            return None
        if not isinstance(msg, dict) or msg.get("token") != self.token:
            self.eof = self.broken = True
            return None
        return msg


def run_checks(
    items: list[pytest.Item], req: GradeRequest, scratch_root: Path
) -> Iterator[tuple[int, Verdict]]:
    """Yield ``(index, verdict)`` for every item, in order, running them in hardened children."""
    first = 0
    while first < len(items):
        for index, verdict in _run_child(items, first, req, scratch_root):
            yield index, verdict
            first = index + 1


def _run_child(
    items: list[pytest.Item], first: int, req: GradeRequest, scratch_root: Path
) -> Iterator[tuple[int, Verdict]]:
    """One child running ``items[first:]``; stops at the first check that hangs or kills it."""
    global _TOKEN
    scratch = Path(tempfile.mkdtemp(dir=scratch_root))
    read_fd, write_fd = os.pipe()
    token = secrets.token_hex(16)
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _TOKEN = token
        try:
            _child_main(items[first:], req, scratch, write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    lines = _Lines(read_fd, token)
    output = _OutputReader(scratch / ".output")
    current = first
    started = time.monotonic()
    offset = 0
    try:
        while current < len(items):
            # Start-up of the child (fork, hardening) counts towards its first check's limit.
            msg = lines.next(started + req.time_limit)
            if msg is None or msg.get("event") != "start":
                break
            started = time.monotonic()
            offset = int(msg.get("offset", 0))
            msg = lines.next(started + req.time_limit)
            if msg is None or msg.get("event") != "verdict":
                break
            verdict = _decode(msg, time.monotonic() - started)
            verdict["output"] = output.read(offset, int(msg.get("offset", offset)))
            yield current, verdict
            current += 1
            started = time.monotonic()
        if current >= len(items):
            return
        timed_out = not lines.eof
        if timed_out or lines.broken:
            _kill(pid)
        status = _wait(pid)
        duration = time.monotonic() - started
        text = output.read(offset, None)
        if timed_out:
            yield (
                current,
                _failure(
                    Reason.TIMEOUT,
                    duration,
                    text,
                    f"time limit exceeded: the check took longer than {req.time_limit:g} s",
                    f"超时：该检查运行超过了 {req.time_limit:g} 秒",
                ),
            )
        elif lines.broken:
            yield (
                current,
                _failure(
                    Reason.ERROR,
                    duration,
                    text,
                    "the check's result could not be read (it was garbled or too large); "
                    "did your code write to the grader's files?",
                    "无法读取该检查的结果（内容损坏或过大）；你的代码是否写入了评分程序的文件？",
                ),
            )
        else:
            yield current, _death(status, duration, text)
    finally:
        _kill(pid)
        _wait(pid)
        os.close(read_fd)


def _decode(msg: dict[str, Any], duration: float) -> Verdict:
    return {
        "reason": Reason(msg["reason"]),
        "message": Message(**msg.get("message", {"en": "", "zh": ""})),
        "traceback": str(msg.get("traceback", "")),
        "line": msg.get("line"),
        "layers": msg.get("layers"),
        "duration": duration,
    }


class _OutputReader:
    """Reads the slice of the capture file one check wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, start: int, end: int | None) -> str:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                want = PER_CHECK_OUTPUT * 4 + 4
                if end is not None:
                    want = min(want, max(0, end - start))
                raw = fh.read(want)
        except OSError:
            return ""
        text = raw.decode("utf-8", errors="replace")
        return text[:PER_CHECK_OUTPUT] + ("\n[…]" if len(text) > PER_CHECK_OUTPUT else "")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


_STATUS: dict[int, int] = {}


def _wait(pid: int) -> int:
    """Reap ``pid`` once; later calls return the remembered status."""
    if pid in _STATUS:
        return _STATUS[pid]
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 0
    _STATUS[pid] = status
    return status


def _failure(reason: Reason, duration: float, output: str, en: str, zh: str) -> Verdict:
    return {
        "reason": reason,
        "message": Message(en, zh),
        "duration": duration,
        "output": output,
        "layers": None,
    }


def _death(status: int, duration: float, output: str) -> Verdict:
    """Explain a child that ended without a verdict."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            return _failure(
                Reason.TIMEOUT, duration, output, "CPU time limit exceeded", "超出 CPU 时间限制"
            )
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return _failure(
            Reason.ERROR,
            duration,
            output,
            f"the check's process was killed by signal {name} (a crash in native code?)",
            f"检查进程被信号 {name} 终止（可能是原生代码崩溃）",
        )
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    return _failure(
        Reason.ERROR,
        duration,
        output,
        f"your code ended the process early (exit status {code}) before the check finished",
        f"你的代码在检查完成前提前结束了进程（退出码 {code}）",
    )
