"""The judge's link to its executors: start, request with a deadline, read output, replace.

One :class:`ExecutorLink` serves one submission. It starts an executor on first use (the template
forks it; the submission is imported once there), sends requests and waits for each answer no
longer than the current check's deadline, drains the executor's output pipe all the while (so a
chatty submission never blocks), and replaces the executor after a timeout or a crash. An import
that failed, timed out or broke a rule is remembered and fails every later check at once.

Output comes only through the pipe opened before the fork: the judge never opens a path the
submission could have made.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any

import torch

from grader import protocol
from grader.i18n import Text
from grader.judge.errors import (
    BudgetExhausted,
    ExecutorDied,
    ExecutorTimeout,
    ExecutorTrouble,
    ImportFailed,
)
from grader.tracebacks import TEXT_LIMIT

PER_CHECK_OUTPUT = 2_000
"""Characters of the executor's output kept per check."""
OUTPUT_FLOOD = 8 << 20
"""Bytes of output one check may print at most: past this the executor is stopped (what it
prints beyond the kept part is read and dropped, so a flood cannot block it or the judge)."""


_LAYER_NAME = re.compile(r"[a-z][a-z-]{0,19}")
"""What a sandbox layer's name looks like (the executor reports them; a result shows them)."""


class _Flood(Exception):
    """The executor printed more than :data:`OUTPUT_FLOOD` bytes during one check."""


@dataclass
class _Live:
    pid: int
    chan: Any
    out_fd: int
    reader: protocol.FrameReader
    generation: int
    rng_sent: bytes = b""
    quota_kept: bool = False


@dataclass
class CheckLog:
    """What one check saw of the executor."""

    output: bytearray = field(default_factory=bytearray)
    dropped: int = 0
    violations: list[dict[str, Any]] = field(default_factory=list)
    layers: tuple[str, ...] | None = None
    quota: str = ""
    """Set when the check left more in the scratch folder than the quota allows."""


def _signal_name(status: int) -> str:
    import signal

    sig = os.WTERMSIG(status)
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


class ExecutorLink:
    def __init__(
        self, template: protocol.TemplateClient, time_limit: float, budget: float, device: str
    ):
        self.template = template
        self.time_limit = time_limit
        self.budget = budget
        self.device = torch.device(device)
        self.started = time.monotonic()
        self.live: _Live | None = None
        self.generation = 0
        self.import_failure: ImportFailed | None = None
        self.check_deadline = self.started + time_limit
        self.log = CheckLog()
        self.layers: tuple[str, ...] | None = None
        self.graphs_open = False
        """Whether a remote call of the current check left an autograd graph in the executor."""

    # -- checks ----------------------------------------------------------------------------
    def begin_check(self) -> None:
        now = time.monotonic()
        self.check_deadline = min(now + self.time_limit, self.budget_end)
        self.log = CheckLog()

    @property
    def budget_end(self) -> float:
        return self.started + self.budget

    def budget_left(self) -> float:
        return self.budget_end - time.monotonic()

    def end_check(self) -> CheckLog:
        if self.live is not None and self.graphs_open:
            self.graphs_open = False
            try:  # the autograd graphs this check's remote calls kept in the executor
                self._request({"op": "release"}, [], time.monotonic() + 1.0)
            except (Exception, ExecutorTrouble):  # any odd answer: replace it
                self._kill_quietly()
            try:
                self._drain(self.live)
            except _Flood:
                self._kill_quietly()
        if self.live is not None and not self.live.quota_kept:
            # Where the kernel does not keep the quota (no private tmpfs, as the template read
            # from the executor's mount table), count the scratch folder between checks.
            self._check_quota(self.live)
        log = self.log
        log.layers = self.layers
        return log

    def _check_quota(self, live: _Live) -> None:
        """Count the executor's scratch folder between checks (the fallback quota where no mount
        namespace could be made; the tmpfs enforces it in the kernel otherwise)."""
        used = self.template.usage(live.pid)
        if used["files"] > used["max_files"] or used["bytes"] > used["max_bytes"]:
            self._kill()
            self.log.quota = (
                f"{used['files']} files, {used['bytes'] >> 20} MiB (the limit is "
                f"{used['max_files']} files and {used['max_bytes'] >> 20} MiB)"
            )

    # -- output ----------------------------------------------------------------------------
    def _drain(self, live: _Live) -> None:
        while True:
            try:
                chunk = os.read(live.out_fd, 65536)
            except (BlockingIOError, OSError):
                return
            if not chunk:
                return
            room = PER_CHECK_OUTPUT * 4 - len(self.log.output)
            if room > 0:
                self.log.output += chunk[:room]
            self.log.dropped += max(0, len(chunk) - max(room, 0))
            if self.log.dropped > OUTPUT_FLOOD:
                raise _Flood()

    # -- lifecycle -------------------------------------------------------------------------
    def _start(self) -> _Live:
        if self.import_failure is not None:
            raise self.import_failure
        pid, chan, out_fd = self.template.spawn()
        flags = fcntl.fcntl(out_fd, fcntl.F_GETFL)
        fcntl.fcntl(out_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self.generation += 1
        live = _Live(
            pid, chan, out_fd, protocol.FrameReader(chan, lambda: [out_fd]), self.generation
        )
        self.live = live
        # Importing the submission gets one check's time, once: a hang here fails every check.
        # A restart within a check keeps that check's deadline.
        deadline = min(time.monotonic() + self.time_limit, self.check_deadline, self.budget_end)
        try:
            header, _ = self._read(live, deadline)
        except ExecutorTimeout as exc:
            self.import_failure = ImportFailed(
                "timeout",
                Text(
                    en=f"importing your file took longer than {self.time_limit:g} s (is there an endless "
                    "loop or a long computation at the top level of your file?)",
                    zh=f"导入你的文件超过了 {self.time_limit:g} 秒（文件顶层是否有死循环或耗时的计算？）",
                ),
            )
            raise self.import_failure from exc
        except ExecutorDied as exc:
            self.import_failure = ImportFailed("error", exc.text)
            raise self.import_failure from exc
        event = header.get("event")
        if event == "ready":
            live.quota_kept = self.template.quota_kept(live.pid)
            layers = header.get("layers")
            if type(layers) is list and len(layers) <= 16:
                self.layers = tuple(
                    x for x in layers if type(x) is str and _LAYER_NAME.fullmatch(x)
                )
            return live
        self._kill()
        if header.get("violations"):
            v = header["violations"][0]
            self.import_failure = ImportFailed(
                "policy", Text(en=str(v.get("en", "")), zh=str(v.get("zh", ""))), "", v.get("line")
            )
        elif event == "import_failed":
            name = protocol.clip_text(header.get("type"), 100) or "Exception"
            message = protocol.clip_text(header.get("message"), TEXT_LIMIT).strip().splitlines()
            detail = message[0][:500] if message else ""
            en = f"importing your file raised {name}" + (f": {detail}" if detail else "")
            zh = f"导入你的文件时抛出了 {name}" + (f"：{detail}" if detail else "")
            line = header.get("line") if type(header.get("line")) is int else None
            self.import_failure = ImportFailed(
                "error", Text(en=en, zh=zh), protocol.clip_text(header.get("traceback")), line
            )
        else:
            self.import_failure = ImportFailed(
                "error", Text(en="your file could not be started", zh="无法启动你的文件")
            )
        raise self.import_failure

    def _kill(self) -> int:
        live, self.live = self.live, None
        if live is None:
            return 0
        status = self.template.reap(live.pid)
        try:
            self._drain(live)
        except _Flood:
            pass
        finally:
            live.chan.close()
            os.close(live.out_fd)
        return status

    def read_scratch_file(self, name: str, limit: int) -> bytes | None:
        """The bytes of a file the executor wrote in its scratch folder (None: no such file)."""
        if self.live is None:
            return None
        fd, reply = self.template.open_scratch_file(self.live.pid, name)
        if fd is None:
            if reply.get("error") in ("missing", "gone"):
                return None
            raise OSError(reply.get("error", "unreadable"))
        try:
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError:
            return None
        if len(data) > limit:
            raise OSError("too-large")
        return data

    def abandon(self) -> None:
        """Replace the executor (its channel may be mid-frame after an interruption)."""
        self._kill_quietly()

    def _kill_quietly(self) -> None:
        """Kill the executor without reading more of its output."""
        live, self.live = self.live, None
        if live is None:
            return
        self.template.reap(live.pid)
        live.chan.close()
        os.close(live.out_fd)

    def close(self) -> None:
        self._kill()

    # -- requests --------------------------------------------------------------------------
    def current(self) -> _Live:
        return self.live if self.live is not None else self._start()

    def _read(self, live: _Live, deadline: float) -> tuple[dict[str, Any], list[bytes]]:
        try:
            header, blobs = live.reader.read(deadline, lambda fds: self._drain(live))
        except _Flood:
            self.live = live
            self._kill_quietly()
            raise ExecutorDied(
                Text(
                    en=f"your code printed more than {OUTPUT_FLOOD >> 20} MiB of output during one check; "
                    "it was stopped",
                    zh=f"你的代码在一次检查中输出超过了 {OUTPUT_FLOOD >> 20} MiB，已被终止",
                ),
            ) from None
        except protocol.DeadlineExceeded:
            self._kill()
            if deadline >= self.budget_end:
                raise BudgetExhausted(
                    Text(
                        en=f"the time budget for the whole submission ({self.budget:g} s) ran out",
                        zh=f"整个提交的时间预算（{self.budget:g} 秒）已用完",
                    ),
                ) from None
            raise ExecutorTimeout(
                Text(
                    en=f"time limit exceeded: the check took longer than {self.time_limit:g} s",
                    zh=f"超时：该检查运行超过了 {self.time_limit:g} 秒",
                ),
            ) from None
        except protocol.ProtocolError as exc:
            closed = isinstance(exc, protocol.ChannelClosed)
            status = self._kill()
            if closed and os.WIFSIGNALED(status):
                name = _signal_name(status)
                if name in ("SIGKILL", "SIGXCPU"):
                    raise ExecutorTimeout(
                        Text(en="CPU time limit exceeded", zh="超出 CPU 时间限制")
                    ) from None
                raise ExecutorDied(
                    Text(
                        en=f"your code's process was killed by signal {name} (a crash in native code?)",
                        zh=f"你的代码所在的进程被信号 {name} 终止（可能是原生代码崩溃）",
                    ),
                ) from None
            if closed:
                code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
                raise ExecutorDied(
                    Text(
                        en=f"your code ended its process early (exit status {code})",
                        zh=f"你的代码提前结束了自己的进程（退出码 {code}）",
                    ),
                ) from None
            raise ExecutorDied(
                Text(
                    en=f"your code's process sent something that is not an answer ({exc})",
                    zh=f"你的代码所在的进程发送了无法识别的内容（{exc}）",
                ),
            ) from None
        try:
            self._drain(live)
        except _Flood:
            self._kill_quietly()
        violations = header.get("violations")
        if type(violations) is list:
            for v in violations[:5]:
                if type(v) is dict:
                    self.log.violations.append(
                        {
                            "en": protocol.clip_text(v.get("en"), 2000),
                            "zh": protocol.clip_text(v.get("zh"), 2000),
                            "line": v.get("line") if type(v.get("line")) is int else None,
                        }
                    )
        return header, blobs

    def _request(
        self, header: dict[str, Any], blobs: list[bytes], deadline: float
    ) -> tuple[dict[str, Any], list[bytes]]:
        live = self.current()
        header = dict(header)
        rng = torch.get_rng_state().numpy().tobytes()
        if rng == live.rng_sent:
            header["rng_same"] = True  # the executor resets to the state it was sent last
        else:
            blobs = [*blobs, rng]
            header["rng"] = len(blobs) - 1
            live.rng_sent = rng
        header["grad"] = header.get("grad", torch.is_grad_enabled())
        header["dtype"] = protocol.DTYPE_NAMES.get(torch.get_default_dtype(), "float32")
        header["seed"] = int(torch.initial_seed()) & 0xFFFFFFFF
        header["blobs"] = [len(b) for b in blobs]
        try:
            protocol.send_frame(live.chan, header, blobs)
        except OSError:
            pass  # the executor is gone: reading the answer reports how it ended
        return self._read(live, deadline)

    def request(
        self, header: dict[str, Any], blobs: list[bytes]
    ) -> tuple[dict[str, Any], list[bytes], int]:
        """Send one request within the current check's deadline; the answer and the executor's
        generation (handles from an older generation are gone)."""
        if time.monotonic() >= self.budget_end:
            raise BudgetExhausted(
                Text(
                    en=f"the time budget for the whole submission ({self.budget:g} s) ran out",
                    zh=f"整个提交的时间预算（{self.budget:g} 秒）已用完",
                ),
            )
        live = self.current()
        header_out, blobs_out = self._request(header, blobs, self.check_deadline)
        return header_out, blobs_out, live.generation
