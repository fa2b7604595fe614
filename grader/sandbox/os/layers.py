"""The OS sandbox's public API: harden a forked child with every layer this machine has.

The warm worker calls :func:`prepare` once (before it forks and before any torch op), then, in each
forked child and before any untrusted code runs, :func:`harden`. Layers are applied in this order
(each one needs what comes before it, and some would block what comes after):

1. ``netns``: a private, empty network namespace (needs privileges, writes ``/proc/self``);
2. ``rlimits``: CPU, address space, file size, descriptors, no core dumps;
3. ``uid-drop``: root switches to an unprivileged uid (the scratch folder is given to it first);
4. ``cap-drop``: every remaining capability is cleared;
5. ``no-new-privs``: ``PR_SET_NO_NEW_PRIVS`` and ``PR_SET_DUMPABLE 0``;
6. ``landlock-fs``, ``landlock-net``, ``landlock-scope``: one Landlock ruleset;
7. ``seccomp``: the system-call deny-list, last (it forbids ``unshare``, ``setrlimit``, ...).

A layer this machine lacks is skipped and left out of the returned names; the caller records them
and may refuse to grade (``--require-sandbox``). :class:`~grader.errors.SandboxError` is raised only
when a layer stopped half-way and the child must not go on.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SandboxError
from grader.logs import describe_os_error
from grader.sandbox.os import _libc, landlock, limits, namespaces, paths, privileges, seccomp
from grader.sandbox.os.plan import (
    LANDLOCK_LAYERS,
    LAYERS,
    SandboxSpec,
    enter_network_namespace,
    landlock_rules,
    plan_entry,
    runtime_read_paths,
    uid_drop_reason,
)
from grader.sandbox.os.plan import state as _state

log = logging.getLogger(__name__)

__all__ = [
    "ESSENTIAL_LAYERS",
    "EXTRA_LAYERS",
    "KERNEL_NEEDS",
    "LANDLOCK_LAYERS",
    "LAYERS",
    "REQUIREMENT_LEVELS",
    "SandboxSpec",
    "available_layers",
    "enter_network_namespace",
    "harden",
    "hide",
    "inherited_fds",
    "landlock_rules",
    "prepare",
    "required_layers",
    "runtime_read_paths",
    "uid_drop_reason",
]

#: The layers integrity and containment rest on: each is the only one that gives its guarantee.
#: ``--require-sandbox`` refuses to grade without every one of them.
ESSENTIAL_LAYERS: dict[str, str] = {
    "rlimits": "the only bound on the executor's memory, CPU time, file sizes and descriptors",
    "no-new-privs": "seccomp and Landlock need it without root, and it stops setuid escalation",
    "cap-drop": "a root executor keeps no capability (CAP_DAC_OVERRIDE, CAP_SYS_PTRACE, ...)",
    "landlock-fs": "the only layer that keeps the hidden checks and solutions unreadable and "
    "every write inside the scratch folder (result files, the gradebook, the course)",
    "seccomp": "the only layer that refuses new processes, sockets, signals to other processes, "
    "ptrace and other processes' memory (the judge's), namespaces and executable memory",
}
#: Defence in depth: what each adds is also enforced by an essential layer.
#: ``--require-sandbox=all`` requires these too.
EXTRA_LAYERS: dict[str, str] = {
    "netns": "an empty network stack; seccomp already refuses socket() and connect()",
    "uid-drop": "a root executor runs as nobody; Landlock and seccomp already bind root",
    "landlock-net": "TCP bind/connect refused by the kernel's LSM; seccomp already refuses them",
    "landlock-scope": "signals and abstract sockets scoped to the executor; seccomp already "
    "limits signals to the executor itself and refuses socket()",
}
#: What each layer needs from the kernel (and the machine), for ``grader doctor`` and the docs.
KERNEL_NEEDS: dict[str, str] = {
    "netns": "unprivileged user namespaces (Ubuntu 24.04: sysctl "
    "kernel.apparmor_restrict_unprivileged_userns=0), or root with CAP_SYS_ADMIN",
    "rlimits": "any Linux",
    "uid-drop": "root, and a Python installation every user can read",
    "cap-drop": "any Linux",
    "no-new-privs": "Linux 3.5+",
    "landlock-fs": "Linux 5.13+ with Landlock enabled (CONFIG_SECURITY_LANDLOCK, lsm=landlock)",
    "landlock-net": "Landlock ABI 4: Linux 6.7+",
    "landlock-scope": "Landlock ABI 6: Linux 6.12+",
    "seccomp": "Linux 3.5+ with CONFIG_SECCOMP_FILTER, libseccomp and pyseccomp; in a container, "
    "a runtime profile that allows the seccomp() call",
}
REQUIREMENT_LEVELS = ("essential", "all")


def required_layers(level: str) -> tuple[str, ...]:
    """The layers ``--require-sandbox`` (``essential``) or ``--require-sandbox=all`` needs."""
    if level == "all":
        return LAYERS
    if level == "essential":
        return tuple(name for name in LAYERS if name in ESSENTIAL_LAYERS)
    raise ValueError(f"unknown sandbox requirement {level!r}; use one of {REQUIREMENT_LEVELS}")


def prepare(hidden: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Do the costly work once in the warm worker, before any fork.

    Resolves the runtime's read-only paths (splitting out hidden content), compiles the seccomp
    program, checks Landlock's ABI, fills the import system's directory caches and probes which
    layers really work here (one throwaway child per layer).

    Args:
        hidden: more paths children must never read (e.g. the active course's hidden checks).
    """
    paths.register_hidden(hidden)
    _state.runtime, listed = paths.compute_plan()
    _state.read_plan = [plan_entry(p) for p in _state.runtime]
    _state.listed = [os.fsencode(p) for p in listed]
    _state.cuda_read = [plan_entry(p) for p in paths.cuda_read_paths()]
    _state.cuda_devices = [os.fsencode(p) for p in paths.cuda_device_paths()]
    landlock.abi_version()
    privileges.last_capability()
    if _state.shared_net is None and namespaces.unavailable_reason() is None:
        try:
            _state.shared_net = namespaces.create_shared()
        except OSError as exc:
            # Children create their own namespace, or the probe reports why they cannot.
            log.debug("netns: no shared network namespace: %s", describe_os_error(exc))
    if seccomp.unavailable_reason() is None:
        try:
            seccomp.compile_program(cuda=False)
            seccomp.compile_program(cuda=True)
        except OSError as exc:
            log.debug("seccomp: the filter did not compile (%s); the probe says why", exc)
    _warm_import_caches()
    for cuda in (False, True):
        uid_drop_reason(SandboxSpec(cpu_seconds=1, memory_bytes=None, cuda=cuda))
    available_layers()


def inherited_fds() -> tuple[int, ...]:
    """Descriptors :func:`prepare` opened that children use in :func:`harden` (keep them open).

    A runner that closes inherited descriptors before calling :func:`harden` should spare these;
    if it does not, children fall back to creating their own network namespace (slower).
    """
    shared = _state.shared_net
    if shared is None:
        return ()
    return tuple(fd for fd in (shared.net_fd, shared.user_fd) if fd is not None)


def hide(more: Iterable[str | os.PathLike[str]]) -> None:
    """Keep ``more`` unreadable by the children forked from now on (the course being graded).

    :func:`prepare` hides the course that was active when the worker started; a request may name
    another course, and one installed inside a granted tree (a course package in site-packages)
    would be readable. Called in the grading process before it forks; the read plan is computed
    again only when one of the paths overlaps what it grants.
    """
    wanted = [Path(os.path.realpath(p)) for p in more if os.path.lexists(p)]
    granted = runtime_read_paths()
    exposed = [
        p for p in wanted if any(p == g or g in p.parents or p in g.parents for g in granted)
    ]
    if not exposed or paths.already_hidden(exposed):
        return
    paths.register_hidden(exposed)
    _state.runtime, listed = paths.compute_plan()
    _state.read_plan = [plan_entry(p) for p in _state.runtime]
    _state.listed = [os.fsencode(p) for p in listed]


def available_layers() -> dict[str, str | None]:
    """Each layer mapped to None when it works here, else the reason; probed once and cached."""
    if _state.available is None:
        from grader.sandbox.os import probe

        _state.available = probe.probe_all()
        for name, reason in _state.available.items():
            log.debug("sandbox layer %s: %s", name, "active" if reason is None else reason)
    return dict(_state.available)


def harden(
    spec: SandboxSpec,
    *,
    only: Iterable[str] | None = None,
    timings: dict[str, float] | None = None,
    failures: dict[str, str] | None = None,
) -> tuple[str, ...]:
    """Apply every available layer to the calling (forked, single-threaded) child.

    A layer that fails here although the probe found it working is left out of the result, and
    its error goes into ``failures``: the child logs nothing (it writes no file outside its
    sandbox), so whoever forked it reports them (``grader doctor``'s smoke test does).

    Args:
        spec: limits and paths for this child.
        only: apply just these layers (tests and probes); all of them by default.
        timings: when given, filled with the seconds each step took.
        failures: when given, filled with each layer that failed to apply and why (the
            exception and its errno, e.g. ``OSError errno 1 (EPERM): Operation not permitted``).

    Returns:
        The names of the layers really in effect, in :data:`LAYERS` order.

    Raises:
        SandboxError: the child has more than one thread (Landlock and user namespaces would not
            cover the others), or a layer stopped half-way; the child must exit without running
            untrusted code.
    """
    wanted = set(LAYERS if only is None else only)
    unknown = wanted - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown sandbox layers: {sorted(unknown)}")
    if not _libc.IS_LINUX:
        return ()
    clock = time.perf_counter
    mark = clock()
    if _libc.thread_count() != 1:
        raise SandboxError(
            "harden() must run in a single-threaded child (call it right after fork)"
        )
    known = _state.available or {}
    skip = {name for name, reason in known.items() if reason is not None}
    run = _Hardening(spec, wanted, skip, failures)
    active: list[str] = []

    def step(name: str) -> None:
        nonlocal mark
        now = clock()
        if timings is not None:
            timings[name] = now - mark
        mark = now

    _enter_scratch(spec)
    step("setup")
    for name, apply in _STEPS:
        active += apply(run)
        step(name)
    return tuple(name for name in LAYERS if name in active)


@dataclass(frozen=True)
class _Hardening:
    """One child's hardening: the layers it asked for, those the probe found missing, and where
    the failures go."""

    spec: SandboxSpec
    wanted: set[str]
    skip: set[str]
    """Layers the probe found unavailable on this machine."""
    failures: dict[str, str] | None

    def wants(self, name: str) -> bool:
        """``name`` was asked for, and the probe found it working."""
        return name in self.wanted and name not in self.skip

    def failed(self, name: str, exc: OSError | ValueError) -> None:
        if self.failures is not None:
            detail = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            self.failures[name] = f"{type(exc).__name__} {detail}"

    def attempt(
        self,
        name: str,
        apply: Callable[[], object],
        errors: tuple[type[OSError | ValueError], ...] = (OSError,),
    ) -> tuple[str, ...]:
        """``(name,)`` when ``apply()`` succeeds, else ``()`` with the error in the failures."""
        try:
            apply()
        except errors as exc:
            self.failed(name, exc)
            return ()
        return (name,)


def _netns(run: _Hardening) -> tuple[str, ...]:
    if run.wants("netns"):
        return run.attempt("netns", enter_network_namespace)
    if _state.shared_net is not None:
        _state.shared_net.close()
    return ()


def _rlimits(run: _Hardening) -> tuple[str, ...]:
    if "rlimits" not in run.wanted or limits.unavailable_reason() is not None:
        return ()
    return run.attempt("rlimits", lambda: limits.apply(run.spec), (OSError, ValueError))


# uid-drop and cap-drop depend on who the child is, not on the probe (run as the worker).
def _uid_drop(run: _Hardening) -> tuple[str, ...]:
    return ("uid-drop",) if "uid-drop" in run.wanted and _drop_uid(run.spec, run.failed) else ()


def _cap_drop(run: _Hardening) -> tuple[str, ...]:
    if "cap-drop" not in run.wanted:
        return ()
    try:
        if privileges.has_capabilities():
            privileges.drop_capabilities()
        dropped = not privileges.has_capabilities()
    except OSError as exc:
        run.failed("cap-drop", exc)
        return ()
    return ("cap-drop",) if dropped else ()


def _no_new_privs(run: _Hardening) -> tuple[str, ...]:
    if "no-new-privs" not in run.wanted:
        return ()
    return run.attempt("no-new-privs", privileges.set_no_new_privs)


def _landlock(run: _Hardening) -> tuple[str, ...]:
    return tuple(_restrict_landlock(run.spec, run.wanted - run.skip, run.failed))


def _seccomp(run: _Hardening) -> tuple[str, ...]:
    if not run.wants("seccomp") or seccomp.unavailable_reason() is not None:
        return ()
    return run.attempt("seccomp", lambda: seccomp.install(cuda=run.spec.cuda))


_STEPS: tuple[tuple[str, Callable[[_Hardening], tuple[str, ...]]], ...] = (
    ("netns", _netns),
    ("rlimits", _rlimits),
    ("uid-drop", _uid_drop),
    ("cap-drop", _cap_drop),
    ("no-new-privs", _no_new_privs),
    ("landlock", _landlock),
    ("seccomp", _seccomp),
)
"""harden()'s steps, in the order the module docstring gives and why, named as in its
``timings``; each returns the layers it put in effect."""


def _warm_import_caches() -> None:
    """List every import folder now, so a child need not list folders it may only partly read."""
    for entry in sys.path:
        finder = sys.path_importer_cache.get(entry)
        if finder is not None and hasattr(finder, "find_spec"):
            try:
                finder.find_spec("_grader_sandbox_warm_up_")
            except (OSError, ImportError) as exc:
                log.debug("import folder %s not listed ahead of the children: %s", entry, exc)


def _enter_scratch(spec: SandboxSpec) -> None:
    """Make the scratch folder the child's cwd and temporary folder (before anything restricts)."""
    if spec.scratch is None:
        return
    scratch = os.fspath(spec.scratch)
    try:
        os.chdir(scratch)
    except OSError as exc:
        raise SandboxError(f"cannot enter the scratch folder {scratch}: {exc.strerror}") from exc
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    if spec.cuda:
        # The driver's JIT cache defaults to ~/.nv; keep it inside the scratch folder.
        os.environ["CUDA_CACHE_PATH"] = os.path.join(scratch, ".nv-cache")


def _drop_uid(spec: SandboxSpec, failed: Callable[[str, OSError], None]) -> bool:
    """Apply ``uid-drop``; True when the child now runs unprivileged (``failed`` hears why not)."""
    if os.geteuid() != 0:
        return True
    if uid_drop_reason(spec) is not None:
        return False
    gid = privileges.drop_gid_for(spec.drop_uid)
    if spec.scratch is not None:
        # The scratch folder becomes the child's; every folder above it must let the uid through.
        os.chown(spec.scratch, spec.drop_uid, gid)
        if privileges.unreadable_reason(spec.drop_uid, gid, [Path(spec.scratch)]) is not None:
            return False
    try:
        privileges.drop_uid(spec.drop_uid, gid)
    except OSError as exc:
        failed("uid-drop", exc)
        return False
    return True


def _restrict_landlock(
    spec: SandboxSpec, wanted: set[str], failed: Callable[[str, OSError], None]
) -> list[str]:
    """Apply the wanted Landlock layers in one ruleset; the names of those applied (none when
    the ruleset was refused: ``failed`` hears why, for each of them)."""
    layers = [n for n in LANDLOCK_LAYERS if n in wanted and landlock.unavailable_reason(n) is None]
    if not layers:
        return []
    try:
        _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
        landlock.restrict(
            landlock_rules(spec),
            fs="landlock-fs" in layers,
            net="landlock-net" in layers,
            scope="landlock-scope" in layers,
        )
    except OSError as exc:
        for name in layers:
            failed(name, exc)
        return []
    return layers
