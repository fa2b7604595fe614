"""Privileges of the child: an unprivileged uid, no capabilities, no new privileges.

Three layers live here:

* ``uid-drop``: a child running as root switches to an unprivileged uid/gid (``setgroups([])``,
  ``setresgid``, ``setresuid``); ``RLIMIT_NPROC`` and the ``/proc`` protections do not bind root.
  Before dropping, every runtime path must be readable (and every folder above it traversable) by
  that uid, or the child would fail on its first lazy import: where it is not (e.g. Python installed
  under ``/root``, mode 0700) the layer is unavailable and the reason names the path. An ordinary
  user is already unprivileged; the layer then counts as active without doing anything.
* ``cap-drop``: whatever capabilities remain (root that could not drop its uid, or the full set a
  new user namespace grants) are cleared: bounding, ambient, effective, permitted, inheritable.
* ``no-new-privs``: ``PR_SET_NO_NEW_PRIVS`` (required by Landlock and seccomp) and
  ``PR_SET_DUMPABLE 0`` (no core dumps, no ptrace attach by processes of the same uid).
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from grader.errors import SandboxError
from grader.sandbox.os import _libc

_CAP_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_gid_for(uid: int) -> int:
    """The group to drop to: the uid's primary group when it has a passwd entry, else ``uid``."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_gid
    except (ImportError, KeyError):
        return uid


def unreadable_reason(uid: int, gid: int, paths: Iterable[Path]) -> str | None:
    """Why some of ``paths`` would be unreadable by ``uid``/``gid`` (mode bits), or None.

    Every folder above a path needs search (x) permission, the path itself read permission (and
    search, for a folder). ``/proc`` and ``/dev`` entries are skipped: they are per process or
    world-accessible devices. Access-control lists are not consulted, so an ACL that grants more
    than the mode bits is not seen (the answer then errs on the side of "unavailable").
    """
    checked: set[Path] = set()
    for path in paths:
        if str(path).startswith(("/proc/", "/dev/")):
            continue
        for folder in reversed(path.parents):
            if folder in checked:
                continue
            problem = _lacks(folder, uid, gid, stat.S_IXOTH)
            if problem:
                return f"uid {uid} cannot traverse {folder} ({problem}), so {path} is unreadable"
            checked.add(folder)
        try:
            is_dir = path.is_dir()
        except OSError:
            continue
        need = stat.S_IROTH | (stat.S_IXOTH if is_dir else 0)
        problem = _lacks(path, uid, gid, need)
        if problem:
            return f"uid {uid} cannot read {path} ({problem})"
    return None


def _lacks(path: Path, uid: int, gid: int, need_other: int) -> str | None:
    """A description of the missing permission bits for ``uid``, or None when they are present."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror
    if st.st_uid == uid:
        bits = need_other << 6
    elif st.st_gid == gid:
        bits = need_other << 3
    else:
        bits = need_other
    if st.st_mode & bits == bits:
        return None
    return f"mode {stat.S_IMODE(st.st_mode):04o}, owner {st.st_uid}:{st.st_gid}"


def drop_uid(uid: int, gid: int) -> None:
    """Switch the calling process to ``uid``/``gid`` with no supplementary groups (from root).

    Raises:
        OSError: the first call was refused; nothing changed.
        SandboxError: some ids changed and others did not; the child must not continue.
    """
    os.setgroups([])
    try:
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError as exc:
        raise SandboxError(f"dropping to uid {uid} / gid {gid} stopped half-way: {exc}") from exc
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid):
        raise SandboxError(f"dropping to uid {uid} / gid {gid} did not take effect")


def _capget() -> tuple[int, int, int]:
    """The (effective, permitted, inheritable) capability sets of the calling process."""
    number = _libc.syscall_number("capget")
    if number is None:
        raise OSError(errno.ENOSYS, "capget: unknown system call number on this architecture")
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    _libc.syscall(number, ctypes.addressof(header), ctypes.addressof(data))
    low, high = data[0], data[1]
    return (
        low.effective | high.effective << 32,
        low.permitted | high.permitted << 32,
        low.inheritable | high.inheritable << 32,
    )


def has_capability(cap: int) -> bool:
    """True when capability number ``cap`` is in the calling process's effective set."""
    return bool(_capget()[0] >> cap & 1)


def has_capabilities() -> bool:
    """True when the calling process holds any capability (effective, permitted or inheritable)."""
    return any(_capget())


_last_cap: int | None = None


def last_capability() -> int:
    """The highest capability number the kernel knows (read once)."""
    global _last_cap
    if _last_cap is None:
        try:
            _last_cap = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
        except (OSError, ValueError):
            _last_cap = 63
    return _last_cap


def drop_capabilities() -> None:
    """Clear every capability set of the calling process.

    Raises:
        OSError: ``capset`` was refused; the effective/permitted sets are unchanged.
    """
    number = _libc.syscall_number("capset")
    if number is None:
        raise OSError(errno.ENOSYS, "capset: unknown system call number on this architecture")
    for cap in range(last_capability() + 1):
        try:
            _libc.prctl(_libc.PR_CAPBSET_DROP, cap)
        except OSError:
            break  # no CAP_SETPCAP: the bounding set only matters for execve, which is denied
    try:
        _libc.prctl(_libc.PR_CAP_AMBIENT, _libc.PR_CAP_AMBIENT_CLEAR_ALL)
    except OSError:
        pass  # kernels before 4.3 have no ambient set
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    _libc.syscall(number, ctypes.addressof(header), ctypes.addressof(data))


def set_no_new_privs() -> None:
    """``PR_SET_NO_NEW_PRIVS`` and ``PR_SET_DUMPABLE 0``.

    Raises:
        OSError: the kernel refused (older than 3.5).
    """
    _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
    _libc.prctl(_libc.PR_SET_DUMPABLE, 0)
