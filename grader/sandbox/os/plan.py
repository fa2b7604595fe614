"""The OS sandbox's plan: the layer names, a child's limits, and what the worker computes once.

:func:`grader.sandbox.os.layers.prepare` fills :data:`state` in the warm worker (the read-only
paths, the shared empty network namespace, why a uid drop would fail); forked children inherit it.
The steps here read that plan and are shared by :func:`grader.sandbox.os.layers.harden` and by the
probe (:mod:`grader.sandbox.os.probe`), which applies each layer alone in a throwaway child to
learn whether it works on this machine. This module imports neither of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from grader.sandbox.os import landlock, namespaces, paths, privileges

__all__ = [
    "LANDLOCK_LAYERS",
    "LAYERS",
    "SandboxSpec",
    "State",
    "enter_network_namespace",
    "landlock_rules",
    "plan_entry",
    "read_set",
    "runtime_read_paths",
    "state",
    "uid_drop_reason",
]

#: Every layer, in the order :func:`grader.sandbox.os.layers.harden` applies them.
LAYERS: tuple[str, ...] = (
    "netns",
    "rlimits",
    "uid-drop",
    "cap-drop",
    "no-new-privs",
    "landlock-fs",
    "landlock-net",
    "landlock-scope",
    "seccomp",
)
LANDLOCK_LAYERS = ("landlock-fs", "landlock-net", "landlock-scope")


@dataclass(frozen=True)
class SandboxSpec:
    """Limits and paths for one sandboxed child."""

    cpu_seconds: float
    """RLIMIT_CPU soft limit (rounded up to whole seconds; the hard limit is one second more)."""
    memory_bytes: int | None
    """RLIMIT_AS; None for CUDA children (a CUDA context reserves tens of GiB of address space)."""
    file_bytes: int = 16 << 20
    """RLIMIT_FSIZE: the largest file the child may write."""
    open_files: int = 256
    """RLIMIT_NOFILE."""
    scratch: Path | None = None
    """The only writable folder (private per check); also readable, and the child's cwd."""
    extra_read: tuple[Path, ...] = ()
    """More read-only paths (e.g. an exercise's data files)."""
    cuda: bool = False
    """A CUDA child: no RLIMIT_AS; GPU device nodes (read-write, ioctl) and driver files readable,
    thread names under ``/proc/self`` writable and ``memfd_create`` allowed, as the driver needs."""
    drop_uid: int = 65534
    """The unprivileged uid a root child switches to."""


@dataclass
class State:
    """What :func:`~grader.sandbox.os.layers.prepare` computes once in the warm worker; forked
    children inherit it."""

    read_plan: list[tuple[bytes, bool]] = field(default_factory=list)
    listed: list[bytes] = field(default_factory=list)
    cuda_read: list[tuple[bytes, bool]] = field(default_factory=list)
    cuda_devices: list[bytes] = field(default_factory=list)
    runtime: tuple[Path, ...] = ()
    unreadable: dict[tuple[int, tuple[Path, ...], bool], str | None] = field(default_factory=dict)
    available: dict[str, str | None] | None = None
    shared_net: namespaces.SharedNetwork | None = None


state = State()


def runtime_read_paths() -> tuple[Path, ...]:
    """The narrow read-only set every child needs (see :mod:`grader.sandbox.os.paths`)."""
    if not state.runtime:
        runtime, listed = paths.compute_plan()
        state.runtime, state.listed = runtime, [os.fsencode(p) for p in listed]
    return state.runtime


def enter_network_namespace() -> None:
    """Join the worker's shared empty network namespace, or create a private one.

    Raises:
        OSError: no namespace could be entered; nothing changed.
        SandboxError: a user namespace was entered half-way.
    """
    shared = state.shared_net
    if shared is not None:
        if namespaces.join_shared(shared):
            return
        shared.close()
    namespaces.enter_private_network()


def plan_entry(path: Path) -> tuple[bytes, bool]:
    """One Landlock read rule: the encoded path and whether it is a folder."""
    return os.fsencode(path), path.is_dir()


def read_set(spec: SandboxSpec) -> tuple[Path, ...]:
    """Every path a child with ``spec`` reads (what a dropped uid must still be able to read)."""
    extra = tuple(spec.extra_read)
    if spec.cuda:
        extra += paths.cuda_read_paths() + paths.cuda_device_paths()
    return runtime_read_paths() + extra


def uid_drop_reason(spec: SandboxSpec) -> str | None:
    """Why a root child could not drop to ``spec.drop_uid`` (runtime unreadable), or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    key = (spec.drop_uid, tuple(spec.extra_read), spec.cuda)
    if key not in state.unreadable:
        gid = privileges.drop_gid_for(spec.drop_uid)
        reason = privileges.unreadable_reason(spec.drop_uid, gid, read_set(spec))
        if reason is not None:
            reason += (
                "; install Python and the packages where every user can read them "
                "(e.g. under /usr/local or /opt), or run the grader as an ordinary user"
            )
        state.unreadable[key] = reason
    return state.unreadable[key]


def landlock_rules(spec: SandboxSpec) -> landlock.Rules:
    """The Landlock paths for ``spec``: runtime (+ extra, + CUDA) read-only, scratch read-write."""
    if not state.read_plan:
        state.read_plan = [plan_entry(p) for p in runtime_read_paths()]
    read = list(state.read_plan) + [plan_entry(Path(p)) for p in spec.extra_read]
    devices: list[bytes] = []
    if spec.cuda:
        read += state.cuda_read or [plan_entry(p) for p in paths.cuda_read_paths()]
        devices = state.cuda_devices or [os.fsencode(p) for p in paths.cuda_device_paths()]
        # cuInit names its threads by writing /proc/<pid>/task/<tid>/comm.
        devices = [*devices, b"/proc/self/task", b"/proc/self/comm"]
    write = [os.fsencode(spec.scratch)] if spec.scratch is not None else []
    return landlock.Rules(read=read, write=write, devices=devices, listed=state.listed)
