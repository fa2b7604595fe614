"""Small process chores shared by the warm worker, the judge and the executor template: die with
the parent, keep only some descriptors across a fork, wait for a child or kill it, find a
process's descendants."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import time
from collections.abc import Iterable

_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent (thread) ends."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def set_name(name: bytes) -> None:
    """Name this process (``/proc/<pid>/comm``, 15 bytes at most)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def close_other_fds(keep: Iterable[int]) -> None:
    """Close every descriptor but ``keep`` (right after a fork: a copy of the parent's other
    descriptors would keep its pipes and sockets open for as long as this process lives)."""
    kept = set(keep)
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in kept:
            try:
                os.close(fd)
            except OSError:
                pass


def write_json_line(fd: int, msg: dict) -> None:
    """Write ``msg`` as one JSON line to ``fd`` (a pipe: the whole line, however large)."""
    data = memoryview((json.dumps(msg) + "\n").encode())
    while data:
        data = data[os.write(fd, data) :]


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_or_kill(pid: int, timeout: float) -> None:
    """Reap child ``pid``; SIGKILL it if it has not exited within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        if time.monotonic() > end:
            break
        time.sleep(0.005)
    kill(pid)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def descendants(pid: int) -> list[int]:
    """Every descendant of ``pid``, children first (Linux ``/proc``; [] where there is none)."""
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for name in entries:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as fh:
                    stat = fh.read()
            except OSError:
                continue
            parents[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found
