"""Scrub the process environment before untrusted code runs.

``os.environ`` is a copy; the kernel shows the original block (``/proc/self/environ``, also as
``/proc/self/task/<tid>/environ``) straight from the process's memory. :func:`scrub` clears
``os.environ`` down to a few harmless variables and overwrites that block with zeros, so neither
route shows what the grader was started with (tokens, paths of the course).
"""

from __future__ import annotations

import ctypes
import os

from grader.sandbox.os import _libc

KEEP = ("LANG", "LC_ALL", "LC_CTYPE", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "CUDA_VISIBLE_DEVICES")


def _env_block() -> tuple[int, int] | None:
    """The addresses of the initial environment block (fields 50 and 51 of /proc/self/stat)."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            stat = fh.read().decode()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    try:
        start, end = int(fields[47]), int(fields[48])  # fields 50, 51 counted from the state (3)
    except (IndexError, ValueError):
        return None
    return (start, end) if 0 < start < end else None


def scrub(keep: tuple[str, ...] = KEEP, extra: dict[str, str] | None = None) -> bool:
    """Clear the environment (keeping ``keep`` and setting ``extra``); True if the kernel's copy
    was overwritten too."""
    saved = {k: os.environ[k] for k in keep if k in os.environ}
    os.environ.clear()
    os.environ.update(saved)
    os.environ.update(extra or {})
    if not _libc.IS_LINUX:
        return False
    block = _env_block()
    if block is None:
        return False
    start, end = block
    ctypes.memset(start, 0, end - start)
    return True
