"""A private, empty network namespace for the child (``unshare(CLONE_NEWNET)``).

In a new network namespace only a loopback device exists and it is down: ``connect`` (TCP or UDP,
even to 127.0.0.1) fails with "Network is unreachable" and nothing leaves the machine. With
``CAP_SYS_ADMIN`` (root) the child unshares the network namespace directly; an ordinary user first
enters a new user namespace (``CLONE_NEWUSER | CLONE_NEWNET``) in which it maps its own uid and gid
onto themselves, so files keep their owners and ``os.getuid()`` is unchanged. User namespaces may be
refused (AppArmor on recent Ubuntu, a container runtime's seccomp profile, a sysctl); the layer is
then unavailable and the seccomp layer still keeps the child off the network (no ``socket``).

Creating a network namespace costs the kernel ~0.5 ms and tearing it down is deferred work, so the
warm worker creates one empty namespace up front (:func:`create_shared`, in a short-lived helper
child) and every child joins it with ``setns`` (~0.1 ms). Children sharing it cannot reach each other
either: loopback is down, and new sockets (seccomp) and abstract unix sockets across Landlock domains
(``landlock-scope``) are refused. Without a shared namespace a child creates its own.

Must run in the single-threaded forked child, before privileges are dropped and before Landlock
(it writes ``/proc/self/uid_map``).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
from dataclasses import dataclass

from grader.errors import SandboxError
from grader.sandbox.os import _libc, privileges

log = logging.getLogger(__name__)

_CAP_SETFCAP = 31


def unavailable_reason() -> str | None:
    """Why this platform cannot have the layer at all (the real test is a probe), or None."""
    if not _libc.IS_LINUX:
        return "network namespaces exist only on Linux"
    if _libc.syscall_number("unshare") is None:
        return "unshare: unknown system call number on this architecture"
    return None


def enter_private_network() -> str:
    """Move the calling process into a new, empty network namespace.

    Returns:
        How it was done ("netns" or "userns+netns"), for the record.

    Raises:
        OSError: both ways were refused; the reason names both errors and nothing was changed.
        SandboxError: a user namespace was entered but the identity could not be mapped.
    """
    try:
        _libc.unshare(_libc.CLONE_NEWNET)
        return "netns"
    except OSError as direct:
        if direct.errno != errno.EPERM:
            raise
        first = direct
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0 and not privileges.has_capability(_CAP_SETFCAP):
        # Since Linux 5.12 only a process with CAP_SETFCAP may map the parent's root into a user
        # namespace; trying would leave this process in a namespace with no identity.
        raise OSError(
            errno.EPERM,
            f"unshare(CLONE_NEWNET) refused ({first.strerror}) and root without CAP_SETFCAP "
            "cannot map itself into a user namespace",
        )
    # /proc/self/*_map belong to root while the process is not dumpable (after a setuid, say).
    dumpable = _libc.prctl(_libc.PR_GET_DUMPABLE)
    if not dumpable:
        _libc.prctl(_libc.PR_SET_DUMPABLE, 1)
    try:
        _enter_user_and_network(first, uid, gid)
    finally:
        if not dumpable:
            _libc.prctl(_libc.PR_SET_DUMPABLE, 0)
    return "userns+netns"


def _enter_user_and_network(first: OSError, uid: int, gid: int) -> None:
    try:
        _libc.unshare(_libc.CLONE_NEWUSER | _libc.CLONE_NEWNET)
    except OSError as nested:
        raise OSError(
            nested.errno,
            f"unshare(CLONE_NEWNET) refused ({first.strerror}) and "
            f"unshare(CLONE_NEWUSER|CLONE_NEWNET) refused ({nested.strerror}): "
            "user namespaces are restricted here",
        ) from None
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError as exc:
        # The process is inside a user namespace with no identity mapped: it must not go on.
        raise SandboxError(f"entered a user namespace but could not map uid/gid: {exc}") from exc


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


@dataclass(frozen=True)
class SharedNetwork:
    """Descriptors of an empty network namespace (and its user namespace) children can join."""

    net_fd: int
    net_id: tuple[int, int]
    """``(st_dev, st_ino)`` of the namespace, to check the descriptor still names it."""
    user_fd: int | None = None
    user_id: tuple[int, int] | None = None

    def close(self) -> None:
        """Close the descriptors (the namespace goes away with its last member)."""
        for fd in (self.net_fd, self.user_fd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError as exc:  # already closed (a runner closed inherited descriptors)
                    log.debug("netns: closing descriptor %d: %s", fd, exc)


def create_shared() -> SharedNetwork:
    """Create an empty network namespace in a helper child and keep descriptors to it.

    Raises:
        OSError: the namespace could not be created (the reason says why).
    """
    ready_r, ready_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the helper child
        try:
            os.close(ready_r)
            os.close(done_w)
            try:
                how = enter_private_network()
                os.write(ready_w, how.encode())
            except BaseException as exc:  # reported to the parent
                os.write(ready_w, b"!" + str(exc).encode()[:1000])
            os.read(done_r, 1)  # stay in the namespace until the parent holds it
        finally:
            os._exit(0)
    os.close(ready_w)
    os.close(done_r)
    try:
        message = os.read(ready_r, 4096).decode(errors="replace")
        if not message or message.startswith("!"):
            raise OSError(errno.EPERM, message[1:] or "the namespace helper died")
        net_fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        user_fd = None
        if message == "userns+netns":
            user_fd = os.open(f"/proc/{pid}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(done_w)
        os.close(ready_r)
        os.waitpid(pid, 0)
    net_id = _identity(net_fd)
    if net_id is None:  # fstat of a descriptor just opened: practically never
        for fd in (net_fd, user_fd):
            if fd is not None:
                os.close(fd)
        raise OSError(errno.EBADF, "cannot stat the new network namespace")
    return SharedNetwork(
        net_fd=net_fd,
        net_id=net_id,
        user_fd=user_fd,
        user_id=_identity(user_fd) if user_fd is not None else None,
    )


def join_shared(shared: SharedNetwork) -> bool:
    """Join ``shared`` (user namespace first, if any); False when its descriptors are gone.

    The descriptors are closed in the calling child afterwards.

    Raises:
        SandboxError: the user namespace was joined but the network namespace was not.
    """
    if _identity(shared.net_fd) != shared.net_id or (
        shared.user_fd is not None and _identity(shared.user_fd) != shared.user_id
    ):
        return False  # closed, or the number now names something else
    try:
        if shared.user_fd is not None:
            _setns(shared.user_fd, _libc.CLONE_NEWUSER)
    except OSError:
        return False
    try:
        _setns(shared.net_fd, _libc.CLONE_NEWNET)
    except OSError as exc:
        if shared.user_fd is None:
            return False
        raise SandboxError(f"joined the shared user namespace but not its network: {exc}") from exc
    shared.close()
    return True


def _identity(fd: int | None) -> tuple[int, int] | None:
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _setns(fd: int, nstype: int) -> None:
    libc = _libc.libc()
    if libc.setns(fd, nstype) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
