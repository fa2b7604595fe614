"""Raw Linux system calls through ctypes, shared by the sandbox layers.

Python 3.11 has no ``os.unshare``, no Landlock and no capability calls, so the layers call libc's
``syscall(2)`` and ``prctl(2)`` directly. Nothing here runs at import time except loading libc,
which the warm worker does once before it forks.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

IS_LINUX = sys.platform.startswith("linux")

#: System call numbers that are not in Python's ``os`` module. Landlock's numbers are the same on
#: every architecture (they come from the unified table added in Linux 5.13); the others differ.
_SYSCALLS: dict[str, dict[str, int]] = {
    "x86_64": {"unshare": 272, "capget": 125, "capset": 126, "ptrace": 101},
    "aarch64": {"unshare": 97, "capget": 90, "capset": 91, "ptrace": 117},
}
LANDLOCK_CREATE_RULESET = 444
LANDLOCK_ADD_RULE = 445
LANDLOCK_RESTRICT_SELF = 446

# prctl(2) options.
PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

# clone(2) / unshare(2) flags.
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000
CLONE_NEW_ANY = (
    CLONE_NEWNS,
    CLONE_NEWCGROUP,
    CLONE_NEWUTS,
    CLONE_NEWIPC,
    CLONE_NEWUSER,
    CLONE_NEWPID,
    CLONE_NEWNET,
)

_libc: ctypes.CDLL | None = None
if IS_LINUX:
    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.syscall.restype = ctypes.c_long
    _libc.prctl.restype = ctypes.c_int
    _libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4


def libc() -> ctypes.CDLL:
    """The C library (raises OSError off Linux)."""
    if _libc is None:
        raise OSError(38, "libc calls are only available on Linux")
    return _libc


def syscall_number(name: str) -> int | None:
    """The number of system call ``name`` on this machine's architecture, or None if unknown."""
    return _SYSCALLS.get(platform.machine(), {}).get(name)


def syscall(number: int, *args: int | ctypes.c_void_p | ctypes._Pointer) -> int:
    """Call ``syscall(number, *args)``; raise OSError with the errno when it returns -1."""
    if _libc is None:
        raise OSError(38, "system calls are only available on Linux")
    c_args = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    result = int(_libc.syscall(ctypes.c_long(number), *c_args))
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
    """Call ``prctl(2)``; raise OSError with the errno when it returns -1."""
    if _libc is None:
        raise OSError(38, "prctl is only available on Linux")
    result = int(_libc.prctl(option, arg2, arg3, arg4, arg5))
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def unshare(flags: int) -> None:
    """``unshare(2)`` (Python 3.11 has no ``os.unshare``)."""
    number = syscall_number("unshare")
    if number is None:
        raise OSError(38, f"unshare: unknown system call number on {platform.machine()}")
    syscall(number, flags)


def thread_count() -> int:
    """How many threads this process has (from ``/proc/self/status``)."""
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"Threads:"):
                return int(line.split()[1])
    return 1


def status_field(name: str) -> str | None:
    """One field of ``/proc/self/status`` (e.g. ``CapEff``, ``Seccomp``), or None."""
    key = name.encode() + b":"
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(key):
                    return line[len(key) :].strip().decode()
    except OSError:
        return None
    return None
