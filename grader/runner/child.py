"""One check in one forked, hardened child process.

The parent (the grading process) forks, waits with a wall-clock limit and SIGKILLs on expiry; the
child hardens itself (grader.sandbox.layers), runs the pytest item and writes its verdict as JSON
to a pipe. Anything else — a crash, an early exit, a fake result on stdout — is an honest failure.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from grader.runner import plugin
from grader.runner.outcome import classify
from grader.runner.request import GradeRequest
from grader.runner.result import Message, Reason

_PR_SET_PDEATHSIG = 1
_RESULT_LIMIT = 1 << 20


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


def _sandbox_spec(req: GradeRequest, scratch: Path) -> Any:
    from grader.sandbox.layers import SandboxSpec

    cuda = req.device == "cuda"
    return SandboxSpec(
        cpu_seconds=max(1.0, req.time_limit) + 1.0,
        memory_bytes=None if cuda else req.memory_mb * 1024 * 1024,
        scratch=scratch,
        cuda=cuda,
    )


def _child_main(item: pytest.Item, req: GradeRequest, scratch: Path, result_fd: int) -> None:
    """Runs in the check child; never returns."""
    started = time.monotonic()
    _set_pdeathsig()
    capture = os.open(scratch / ".output", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
    keep = {0, 1, 2, result_fd, *_sandbox_fds()}
    for fd in _open_fds():
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass
    os.chdir(scratch)
    try:
        if os.geteuid() == 0:
            os.chown(scratch, 65534, 65534)
            os.chown(scratch / ".output", 65534, 65534)
        from grader.sandbox.layers import harden

        layers = list(harden(_sandbox_spec(req, scratch)))
    except ImportError:
        layers = []
    import torch

    torch.set_num_threads(1)
    if req.device == "cuda":
        torch.cuda.set_per_process_memory_fraction(0.5)
    from grader.sandbox import policy

    policy.VIOLATIONS.clear()
    recorder = _ExcRecorder()
    item.config.pluginmanager.register(recorder, "grader-exc-recorder")
    from _pytest.runner import runtestprotocol

    ctx = plugin.CONTEXT
    assert ctx is not None
    try:
        runtestprotocol(item, log=False, nextitem=None)
        verdict = classify(recorder.exc, filename=ctx.filename, source=ctx.source)
    except BaseException as exc:  # noqa: BLE001 - the check machinery itself was broken into
        verdict = classify(exc, filename=ctx.filename, source=ctx.source)
    message = verdict["message"]
    payload = {
        "reason": str(verdict["reason"]),
        "message": message.to_dict(),
        "traceback": verdict.get("traceback", ""),
        "line": verdict.get("line"),
        "layers": layers,
        "duration": time.monotonic() - started,
    }
    data = json.dumps(payload).encode()[:_RESULT_LIMIT]
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        os.write(result_fd, data)
    finally:
        os._exit(0)


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


def run_check_in_child(item: pytest.Item, req: GradeRequest, scratch_root: Path) -> dict[str, Any]:
    """Fork a child for ``item``; return its verdict (or an honest failure when it gave none)."""
    scratch = Path(tempfile.mkdtemp(dir=scratch_root))
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            _child_main(item, req, scratch, write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    data = b""
    timed_out = False
    deadline = started + req.time_limit
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        data += chunk
        if len(data) > _RESULT_LIMIT:
            break
    if timed_out:
        _kill(pid)
    _, status = os.waitpid(pid, 0)
    os.close(read_fd)
    duration = time.monotonic() - started
    output = _read_output(scratch / ".output")
    if timed_out:
        return _failure(
            Reason.TIMEOUT,
            duration,
            output,
            f"time limit exceeded: the check took longer than {req.time_limit:g} s",
            f"超时：该检查运行超过了 {req.time_limit:g} 秒",
        )
    try:
        payload = json.loads(data.decode()) if data else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        payload = None
    if not isinstance(payload, dict) or "reason" not in payload:
        return _death(status, duration, output)
    payload["duration"] = duration
    payload["output"] = output
    payload["message"] = Message(**payload.get("message", {"en": "", "zh": ""}))
    return payload


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _read_output(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(4 * 2_000 + 4)
    except OSError:
        return ""
    text = raw.decode("utf-8", errors="replace")
    return text[:2_000] + ("\n[…]" if len(text) > 2_000 else "")


def _failure(reason: Reason, duration: float, output: str, en: str, zh: str) -> dict[str, Any]:
    return {
        "reason": str(reason),
        "message": Message(en, zh),
        "duration": duration,
        "output": output,
        "layers": None,
    }


def _death(status: int, duration: float, output: str) -> dict[str, Any]:
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
