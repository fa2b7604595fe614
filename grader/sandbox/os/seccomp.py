"""A seccomp deny-list (through pyseccomp over libseccomp): no processes, sockets or escapes.

Everything is allowed except the calls below, which fail with ``EPERM`` (``clone3`` with
``ENOSYS``, so glibc falls back to ``clone`` for threads) — the learner sees a Python error, the
child is not killed. Calls for a foreign architecture (32-bit ``int 0x80``, x32) kill the process.

Denied:

* process creation and program execution: ``fork``, ``vfork``, ``clone`` without
  ``CLONE_THREAD`` or with any ``CLONE_NEW*`` flag, ``execve``, ``execveat`` (threads still work);
* new sockets and their use: ``socket``, ``connect``, ``bind``, ``listen``, ``accept``,
  ``accept4``, and ``sendto`` with a destination address. ``socketpair`` stays allowed: it only
  connects the process to itself (asyncio's self-pipe uses it);
* signals to other processes: ``kill``, ``tgkill``, ``rt_sigqueueinfo`` and ``rt_tgsigqueueinfo``
  unless the target is the child itself (``raise``/``abort`` use ``tgkill(getpid(), ...)``),
  ``tkill``, ``pidfd_open``, ``pidfd_send_signal``, ``pidfd_getfd``;
* reaching other processes' memory: ``ptrace``, ``process_vm_readv``, ``process_vm_writev``,
  ``process_madvise``, ``kcmp``;
* namespaces, mounts and roots: ``unshare``, ``setns``, ``mount``, ``umount2``, ``pivot_root``,
  ``chroot``, ``fsopen``, ``fsconfig``, ``fsmount``, ``fspick``, ``move_mount``, ``open_tree``;
* kernel attack surface: ``keyctl``, ``add_key``, ``request_key``, ``bpf``, ``perf_event_open``,
  ``personality``, ``io_uring_setup``, ``io_uring_enter``, ``io_uring_register``,
  ``userfaultfd``, ``memfd_create`` (allowed in CUDA children: the NVIDIA driver needs it);
* calls that matter when the child is still root (no unprivileged uid to drop to):
  ``setrlimit`` and ``prlimit64`` with a new limit (root could lift the rlimits), ``mknod``,
  ``mknodat``, ``open_by_handle_at``, ``name_to_handle_at``, module loading, ``kexec_*``,
  ``reboot``, ``swapon``, ``swapoff``, ``iopl``, ``ioperm``, ``acct``, ``quotactl``,
  ``settimeofday``, ``clock_settime``, ``clock_adjtime``, ``adjtimex``, ``sethostname``,
  ``setdomainname``, ``syslog``, ``vhangup``;
* ``ioctl(TIOCSTI)`` and ``ioctl(TIOCLINUX)`` (typing into the grader's terminal), and
  ``prctl(PR_SET_DUMPABLE)`` (undoing the no-new-privs layer's ``PR_SET_DUMPABLE 0``).

``ioctl``, ``mmap``, ``mprotect``, ``madvise``, ``sched_*`` and thread ``clone`` stay allowed:
torch's thread pools and the CUDA driver need them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import tempfile
from types import ModuleType
from typing import Any

from grader.sandbox.os import _libc

#: Calls denied outright with EPERM (skipped where this architecture lacks them).
DENIED = (
    "fork",
    "vfork",
    "execve",
    "execveat",
    "socket",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "tkill",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "kcmp",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "personality",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "userfaultfd",
    "memfd_create",
    "setrlimit",
    "mknod",
    "mknodat",
    "open_by_handle_at",
    "name_to_handle_at",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "iopl",
    "ioperm",
    "acct",
    "quotactl",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "sethostname",
    "setdomainname",
    "syslog",
    "vhangup",
)
#: Signal calls allowed only when their first argument (the target process) is the child itself.
SELF_ONLY = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
#: Calls refused when they ask for executable memory that no file backs: an anonymous
#: ``mmap`` with ``PROT_EXEC``, and any ``mprotect`` that adds ``PROT_EXEC``. Native code can then
#: be neither written into memory and run (ctypes, a JIT) nor made executable later; shared
#: libraries still load (their pages come from files, which Landlock limits to the read-only
#: runtime, and the scratch tmpfs is mounted ``noexec``). oneDNN JIT-compiles its CPU kernels into
#: anonymous executable memory, so the executor turns it off (conv2d and large matmuls still run,
#: on ATen's own kernels; tests/sandbox/test_layers_allowed.py).
EXEC_MAPPING = ("mmap", "mprotect", "pkey_mprotect")
PROT_EXEC = 4
MAP_ANONYMOUS = 0x20
TIOCSTI = 0x5412
TIOCLINUX = 0x541C

_pyseccomp: ModuleType | None = None
_load_error: str | None = None
_resolved: dict[str, int] | None = None


def load_library() -> ModuleType | None:
    """Import pyseccomp (it runs ``ldconfig`` to find libseccomp: do it once, before forking)."""
    global _pyseccomp, _load_error, _resolved
    if _pyseccomp is None and _load_error is None:
        if not _libc.IS_LINUX:
            _load_error = "seccomp exists only on Linux"
            return None
        try:
            import pyseccomp
        except ImportError:
            _load_error = "the pyseccomp package is not installed (pip install pyseccomp)"
        except (OSError, RuntimeError) as exc:
            _load_error = f"libseccomp could not be loaded ({exc}); install libseccomp2"
        else:
            _pyseccomp = pyseccomp
            _resolved = _resolve_numbers(pyseccomp)
    return _pyseccomp


def unavailable_reason() -> str | None:
    """Why the seccomp layer cannot be used here, or None."""
    load_library()
    return _load_error


def _resolve_numbers(pyseccomp: ModuleType) -> dict[str, int]:
    """Syscall numbers of this architecture; names it does not have are left out."""
    numbers: dict[str, int] = {}
    for name in (
        *DENIED,
        *SELF_ONLY,
        *EXEC_MAPPING,
        "clone",
        "clone3",
        "prlimit64",
        "sendto",
        "ioctl",
        "prctl",
    ):
        try:
            number = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name)
        except (OSError, ValueError):
            continue
        if number >= 0:
            numbers[name] = number
    return numbers


#: Stands for the child's pid while the filter is compiled in the warm worker; the child patches
#: it. Above the kernel's PID_MAX_LIMIT (2**22), so it is never a real pid, and no flag or ioctl
#: number used in the filter equals it.
_PID_PLACEHOLDER = 0x5EC0DE42
_BPF_JEQ_K = 0x15
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_programs: dict[bool, bytes] = {}
_seccomp_nr: int | None = None


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def compile_program(cuda: bool = False) -> bytes:
    """The filter as classic BPF, with a placeholder for the child's pid (built once, ~1 ms).

    Args:
        cuda: the variant for CUDA children, which allows ``memfd_create`` (the NVIDIA driver
            needs it in ``cuInit``; without ``execve``/``execveat`` a memfd cannot be run).

    Raises:
        OSError: libseccomp is unavailable or refused a rule.
    """
    global _seccomp_nr
    if cuda not in _programs:
        sc = load_library()
        if sc is None or _resolved is None:
            raise OSError(errno.ENOSYS, _load_error or "seccomp is unavailable")
        flt = _build(sc, _resolved, _PID_PLACEHOLDER, allow_memfd=cuda)
        with tempfile.TemporaryFile() as out:
            flt.export_bpf(out)
            out.seek(0)
            program = out.read()
        if len(program) % 8 or not _placeholder_offsets(program):
            raise OSError(errno.EINVAL, "libseccomp produced an unexpected BPF program")
        _seccomp_nr = sc.resolve_syscall(sc.Arch.NATIVE, "seccomp")
        _programs[cuda] = program
    return _programs[cuda]


def install(pid: int | None = None, *, cuda: bool = False) -> None:
    """Load the filter on the calling process and all its threads (``SECCOMP_FILTER_FLAG_TSYNC``).

    The program compiled by :func:`compile_program` (in the warm worker) is copied, its pid
    placeholder replaced by ``pid``, and loaded with one ``seccomp(2)`` call: ~50 µs instead of the
    ~1 ms libseccomp needs to build it. Sets ``PR_SET_NO_NEW_PRIVS`` (required by the kernel).

    Args:
        pid: the process allowed as a signal target; the caller's own pid by default.
        cuda: load the CUDA variant (see :func:`compile_program`).

    Raises:
        OSError: the kernel refused the filter; nothing was applied.
    """
    program = bytearray(compile_program(cuda))
    me = os.getpid() if pid is None else pid
    for offset in _placeholder_offsets(bytes(program)):
        struct.pack_into("=I", program, offset + 4, me)
    buffer = (ctypes.c_char * len(program)).from_buffer(program)
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
    assert _seccomp_nr is not None
    _libc.syscall(
        _seccomp_nr,
        _SECCOMP_SET_MODE_FILTER,
        _SECCOMP_FILTER_FLAG_TSYNC,
        ctypes.addressof(fprog),
    )


def _placeholder_offsets(program: bytes) -> list[int]:
    """Offsets of the ``JEQ #placeholder`` instructions (struct sock_filter: u16, u8, u8, u32)."""
    offsets = []
    for offset in range(0, len(program), 8):
        code, _, _, k = struct.unpack_from("=HBBI", program, offset)
        if code == _BPF_JEQ_K and k == _PID_PLACEHOLDER:
            offsets.append(offset)
    return offsets


def _build(sc: ModuleType, numbers: dict[str, int], me: int, *, allow_memfd: bool) -> Any:
    """The libseccomp filter object for signal target ``me``."""
    deny = sc.ERRNO(errno.EPERM)
    arg = sc.Arg
    flt = sc.SyscallFilter(sc.ALLOW)
    flt.set_attr(sc.Attr.ACT_BADARCH, sc.KILL_PROCESS)
    for name in DENIED:
        if name in numbers and not (allow_memfd and name == "memfd_create"):
            flt.add_rule(deny, numbers[name])
    for name in SELF_ONLY:
        if name in numbers:
            flt.add_rule(deny, numbers[name], arg(0, sc.NE, me))
    if "clone3" in numbers:
        flt.add_rule(sc.ERRNO(errno.ENOSYS), numbers["clone3"])
    clone = numbers["clone"]
    flt.add_rule(deny, clone, arg(0, sc.MASKED_EQ, _libc.CLONE_THREAD, 0))
    for flag in _libc.CLONE_NEW_ANY:
        flt.add_rule(deny, clone, arg(0, sc.MASKED_EQ, flag, flag))
    flt.add_rule(deny, numbers["prlimit64"], arg(2, sc.NE, 0))
    flt.add_rule(deny, numbers["sendto"], arg(4, sc.NE, 0))
    for request in (TIOCSTI, TIOCLINUX):
        # The kernel reads the request as 32 bits: compare only those, or 1<<32 | TIOCSTI passes.
        flt.add_rule(deny, numbers["ioctl"], arg(1, sc.MASKED_EQ, 0xFFFFFFFF, request))
    flt.add_rule(deny, numbers["prctl"], arg(0, sc.EQ, _libc.PR_SET_DUMPABLE))
    if not allow_memfd:  # the CUDA driver maps executable memory for its kernels
        exec_prot = arg(2, sc.MASKED_EQ, PROT_EXEC, PROT_EXEC)
        flt.add_rule(
            deny, numbers["mmap"], exec_prot, arg(3, sc.MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS)
        )
        for name in ("mprotect", "pkey_mprotect"):
            if name in numbers:
                flt.add_rule(deny, numbers[name], exec_prot)
    return flt
