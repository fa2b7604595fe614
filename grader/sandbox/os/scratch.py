"""The executor's scratch folder with a quota on bytes and on files.

Where the kernel allows a private mount namespace (root, or a user namespace), the scratch folder
becomes a tmpfs of fixed size and inode count that only the executor sees: writes past the quota
fail with ``ENOSPC`` inside the submission, and the judge, in the original mount namespace, never
sees (or opens) what the submission wrote. Where no mount namespace can be made (Gradescope's
Docker, some CI containers) the fallback is ``RLIMIT_FSIZE`` per file (an rlimit the sandbox sets
anyway) plus :func:`usage`, which the judge calls between requests: it counts entries and bytes
with ``lstat`` only, never following a link or opening a file.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox.os import _libc

QUOTA_BYTES = 64 << 20
"""Bytes the submission may keep in its scratch folder."""
QUOTA_FILES = 512
"""Files and folders the submission may keep in its scratch folder."""

_MS_NOSUID = 2
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REC = 16384
_MS_PRIVATE = 1 << 18


@dataclass(frozen=True)
class Usage:
    files: int
    bytes: int


def _mount(
    source: bytes, target: bytes, fstype: bytes | None, flags: int, data: bytes | None
) -> None:
    libc = _libc.libc()
    libc.mount.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_ulong,
        ctypes.c_char_p,
    ]
    if libc.mount(source, target, fstype, flags, data) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def mount_private_tmpfs(scratch: Path, uid: int | None = None) -> bool:
    """In a forked, single-threaded child: make ``scratch`` a private tmpfs with the quota.

    Returns False (and changes nothing visible) where the kernel refuses a mount namespace.
    """
    if not _libc.IS_LINUX:
        return False
    try:
        _libc.unshare(_libc.CLONE_NEWNS)
    except OSError:
        return False
    try:
        _mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None)
        owner = f",uid={uid},gid={uid}" if uid is not None else ""
        options = f"size={QUOTA_BYTES},nr_inodes={QUOTA_FILES + 16},mode=0700{owner}"
        _mount(
            b"grader-scratch",
            os.fsencode(scratch),
            b"tmpfs",
            _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
            options.encode(),
        )
    except OSError:
        return False
    return True


def usage(scratch: Path, stop_after: int = QUOTA_FILES * 4) -> Usage:
    """Entries and bytes under ``scratch``, by ``lstat`` only (links are counted, not followed)."""
    files = 0
    total = 0
    stack = [os.fspath(scratch)]
    while stack and files <= stop_after:
        top = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            files += 1
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += st.st_blocks * 512
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return Usage(files, total)
