"""``grader serve`` started as a user starts it (a subprocess of the installed command), and raw
HTTP and websocket requests against it, as an attacker on the network sends them.

Imported as a plain module by tests/serve (pytest puts the test folder on ``sys.path``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cli_support import grader_command

ONE_QUESTION = """\
bank: web
title: {zh: 网页测验, en: Web quiz}
questions:
  - id: web-single
    type: single
    difficulty: 1
    tags: [autograd]
    prompt:
      zh: 调用 `loss.backward()` 之后，叶子张量的梯度保存在哪里？
      en: After `loss.backward()`, where is the gradient of a leaf tensor stored?
    options:
      - {zh: 张量的 `.grad` 属性, en: "in the tensor's `.grad` attribute"}
      - {zh: "`loss.grad` 属性", en: "in `loss.grad`"}
      - {zh: 优化器的状态字典, en: "in the optimizer's state dict"}
    answer: 0
    explanation:
      zh: 反向传播把梯度累加到叶子张量的 `.grad` 属性中。
      en: Backpropagation accumulates gradients into each leaf tensor's `.grad`.
"""
"""A course of one single-choice question, so a test knows what the first question is."""


def one_question_course(folder: Path) -> Path:
    """Write the one-question course into ``folder`` and return it."""
    (folder / "questions").mkdir(parents=True)
    (folder / "questions" / "web.yaml").write_text(ONE_QUESTION, encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running ``grader serve``: its port, the URL it printed and its output so far."""

    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.output)

    @property
    def printed_url(self) -> str:
        found = re.search(r"Open (\S+)", self.text)
        assert found, f"grader serve printed no URL:\n{self.text}"
        return found.group(1)

    @property
    def token(self) -> str | None:
        found = re.search(r"[?&]token=([^&\s]+)", self.printed_url)
        return found.group(1) if found else None


@contextmanager
def served(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 30
) -> Iterator[Served]:
    """``grader serve ARGS --port <free>`` with its progress in ``data_dir``, until it listens;
    stopped (SIGINT, as Ctrl+C) afterwards."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "TEXTUAL"))}
    environ.update(GRADER_DATA_DIR=str(data_dir), **(env or {}))
    process = subprocess.Popen(
        [grader_command(), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environ,
        start_new_session=True,
    )
    server = Served(process, port)
    assert process.stdout is not None
    stream = process.stdout
    threading.Thread(
        target=lambda: server.output.extend(iter(stream.readline, "")), daemon=True
    ).start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"grader serve exited {process.returncode}:\n{server.text}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"grader serve never listened:\n{server.text}") from None
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        stream.close()


def raw_request(port: int, path: str, headers: dict[str, str] | None = None) -> str:
    """Send ``GET path`` with ``headers`` and return the response head (status line and headers)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = conn.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n\r\n")[0].decode("latin-1")


def websocket_handshake(port: int, headers: dict[str, str] | None = None) -> str:
    """Open the app's websocket (``/ws``) as a client would and return the response's status
    line: ``HTTP/1.1 101 Switching Protocols`` when the server lets it start an app."""
    upgrade = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    lines = ["GET /ws?width=80&height=24 HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in {**upgrade, **(headers or {})}.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while b"\r\n" not in received:
            chunk = conn.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n")[0].decode("latin-1")


def status(head: str) -> int:
    """The status code of a response head."""
    return int(head.split()[1])
