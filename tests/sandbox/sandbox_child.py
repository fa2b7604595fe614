"""Helpers for the sandbox tests: fork a hardened child, attempt something, report the outcome."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.sandbox.os import layers
from grader.sandbox.os.probe import ChildOutcome, run_forked


def nothing_arrived(listener: socket.socket) -> bool:
    """True when no connection or datagram reached ``listener``."""
    try:
        if listener.type == socket.SOCK_STREAM:
            conn, _ = listener.accept()
            conn.close()
        else:
            listener.recv(64)
    except BlockingIOError:
        return True
    return False


def spec_for(scratch: Path | None, **overrides: Any) -> layers.SandboxSpec:
    """A spec with generous limits unless overridden (tests of one limit set just that one)."""
    values: dict[str, Any] = {"cpu_seconds": 30, "memory_bytes": None, "scratch": scratch}
    values.update(overrides)
    return layers.SandboxSpec(**values)


def hardened(
    body: Callable[[], Any],
    spec: layers.SandboxSpec,
    *,
    only: tuple[str, ...] | None = None,
    timeout: float = 20.0,
) -> ChildOutcome:
    """Fork, harden with ``only`` (every layer by default), run ``body`` and collect its result.

    The child returns ``{"active": [...], "result": body()}``; it first moves to its own process
    group and limits torch to one thread, as the grader's children do.
    """

    def child() -> dict[str, Any]:
        import os

        import torch

        # Its own process group: if a layer failed, killpg(0, ...) would hit the child, not pytest.
        os.setpgid(0, 0)
        torch.set_num_threads(1)
        active = layers.harden(spec, only=only)
        return {"active": list(active), "result": body()}

    return run_forked(child, timeout)


def attempt(action: Callable[[], Any]) -> str:
    """Run ``action`` and describe the outcome: ``ok`` or ``Type: message``."""
    try:
        action()
    except BaseException as exc:  # the outcome is the data
        return f"{type(exc).__name__}: {exc}"
    return "ok"
