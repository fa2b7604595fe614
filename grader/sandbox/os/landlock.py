"""Landlock (Linux 5.13+) through raw system calls: files, TCP ports and signal scoping.

Landlock needs no privilege and no package. One ruleset covers up to three sandbox layers:

* ``landlock-fs``: every file-system access right the kernel knows is *handled*; the child may only
  read the runtime's paths (and ``extra_read``), read and write its scratch folder, and (CUDA
  children) open the GPU device nodes read-write with ``ioctl``. Nothing may be executed.
* ``landlock-net`` (ABI 4+): TCP ``bind`` and ``connect`` are handled with no port allowed. UDP is
  not covered by Landlock, so the network namespace and seccomp stay necessary.
* ``landlock-scope`` (ABI 6+): signals and abstract unix sockets cannot reach processes outside
  the child's Landlock domain (the grader, other children).

Landlock restricts the calling thread and the threads it creates later, so it must be applied while
the child is single-threaded (checked by the caller). Files opened *before* restriction keep their
rights (the result pipe, stdout).
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

from grader.sandbox.os import _libc

# File-system access rights (include/uapi/linux/landlock.h) and the ABI that added them.
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
FS_IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1  # ABI 6

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1}
_FS_LATEST = (1 << 16) - 1
#: Rights that make sense on a file (the others only on folders).
FS_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
READ_RIGHTS = FS_READ_FILE | FS_READ_DIR
#: The scratch folder: read, create, write, rename, delete regular files, folders and symlinks;
#: never device nodes, sockets or FIFOs (``mknod`` of a disk device would bypass everything).
WRITE_RIGHTS = (
    READ_RIGHTS
    | FS_WRITE_FILE
    | FS_REMOVE_DIR
    | FS_REMOVE_FILE
    | FS_MAKE_DIR
    | FS_MAKE_REG
    | FS_MAKE_SYM
    | FS_REFER
    | FS_TRUNCATE
)
#: GPU device nodes: opened read-write and driven by ioctl.
DEVICE_RIGHTS = READ_RIGHTS | FS_WRITE_FILE | FS_IOCTL_DEV

_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_O_PATH = getattr(os, "O_PATH", 0o10000000)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_abi_cache: int | None = None
_abi_error: str | None = None


def abi_version() -> int:
    """The Landlock ABI version of the running kernel, 0 when Landlock cannot be used."""
    global _abi_cache, _abi_error
    if _abi_cache is None:
        if not _libc.IS_LINUX:
            _abi_cache, _abi_error = 0, "Landlock exists only on Linux"
        else:
            try:
                _abi_cache = _libc.syscall(
                    _libc.LANDLOCK_CREATE_RULESET, 0, 0, _CREATE_RULESET_VERSION
                )
            except OSError as exc:
                _abi_cache = 0
                _abi_error = {
                    errno.ENOSYS: "the kernel has no Landlock (Linux 5.13+ is needed)",
                    errno.EOPNOTSUPP: "Landlock is built into the kernel but disabled at boot "
                    "(add landlock to the lsm= kernel parameter)",
                    errno.EPERM: "landlock_create_ruleset is refused (a seccomp profile, "
                    "e.g. a container runtime's, blocks it)",
                }.get(exc.errno or 0, f"landlock_create_ruleset failed: {exc.strerror}")
    return _abi_cache


def unavailable_reason(layer: str) -> str | None:
    """Why ``layer`` (landlock-fs, landlock-net or landlock-scope) cannot be used, or None."""
    abi = abi_version()
    if abi == 0:
        return _abi_error
    needed = {"landlock-fs": 1, "landlock-net": 4, "landlock-scope": 6}[layer]
    if abi < needed:
        return f"Landlock ABI {abi} is too old: {layer} needs ABI {needed} (Linux 6.7+ for net, 6.12+ for scope)"
    return None


@dataclass(frozen=True)
class Rules:
    """What a child may touch, as paths already resolved by the trusted side."""

    read: Sequence[tuple[bytes, bool]]
    """Read-only paths, each with whether it is a folder."""
    write: Sequence[bytes] = ()
    """Folders the child may read and write (its scratch)."""
    devices: Sequence[bytes] = ()
    """Paths opened read-write with ioctl: GPU device nodes, and thread names for CUDA."""
    listed: Sequence[bytes] = ()
    """Folders the child may list but not read files in (split around hidden content)."""


def restrict(rules: Rules, *, fs: bool, net: bool, scope: bool) -> None:
    """Restrict the calling thread (and its future threads) with one Landlock ruleset.

    Args:
        rules: the paths to allow (used when ``fs``).
        fs: handle every file-system right (allow only ``rules``).
        net: handle TCP bind and connect (allow no port).
        scope: scope signals and abstract unix sockets to the child's domain.

    Raises:
        OSError: the kernel refused the ruleset; nothing was applied.
    """
    abi = abi_version()
    fs_mask = _FS_BY_ABI.get(abi, _FS_LATEST) if fs else 0
    attr = _RulesetAttr(
        handled_access_fs=fs_mask,
        handled_access_net=(NET_BIND_TCP | NET_CONNECT_TCP) if net and abi >= 4 else 0,
        scoped=(SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if scope and abi >= 6 else 0,
    )
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = _libc.syscall(_libc.LANDLOCK_CREATE_RULESET, ctypes.addressof(attr), size, 0)
    try:
        if fs:
            beneath = _PathBeneathAttr()
            pointer = ctypes.addressof(beneath)
            for path, is_dir in rules.read:
                _add_path(ruleset, beneath, pointer, path, READ_RIGHTS & fs_mask, is_dir)
            for path in rules.write:
                _add_path(ruleset, beneath, pointer, path, WRITE_RIGHTS & fs_mask, True)
            for path in rules.devices:
                _add_path(ruleset, beneath, pointer, path, DEVICE_RIGHTS & fs_mask, None)
            for path in rules.listed:
                _add_path(ruleset, beneath, pointer, path, FS_READ_DIR & fs_mask, True)
        _libc.syscall(_libc.LANDLOCK_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)


def _add_path(
    ruleset: int,
    beneath: _PathBeneathAttr,
    pointer: int,
    path: bytes,
    rights: int,
    is_dir: bool | None,
) -> None:
    """Allow ``rights`` beneath ``path``; a missing path is skipped (nothing to grant)."""
    try:
        fd = os.open(path, _O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if is_dir is None:
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        beneath.allowed_access = rights if is_dir else rights & FS_FILE_RIGHTS
        beneath.parent_fd = fd
        try:
            _libc.syscall(_libc.LANDLOCK_ADD_RULE, ruleset, _RULE_PATH_BENEATH, pointer, 0)
        except OSError as exc:
            if exc.errno != errno.EINVAL or not is_dir:
                raise
            # The path changed from a folder to a file since the plan was made.
            beneath.allowed_access = rights & FS_FILE_RIGHTS
            _libc.syscall(_libc.LANDLOCK_ADD_RULE, ruleset, _RULE_PATH_BENEATH, pointer, 0)
    finally:
        os.close(fd)
