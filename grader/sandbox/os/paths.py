"""Which paths a sandboxed child may read: the Python runtime, narrowly, and never the hidden content.

The child needs the standard library, the installed packages, shared libraries and a few files
under ``/proc``, ``/sys`` and ``/dev``. It must not read the hidden checks and reference solutions,
which live in the grader's bundled content (``grader/_bundled`` when installed from a wheel, i.e.
*inside* site-packages), in the ``exercises/`` and ``solutions/`` folders of a checkout, or in the
active course folder. Landlock grants whole directory trees, so a granted folder that contains a
hidden path is split: its entries are granted one by one, recursing only along the branch that
leads to the hidden path. Any ``grader/_bundled`` in a site-packages folder is hidden too: an
editable install can leave a bundled copy there, and another copy of the grader may be installed in
the base interpreter's site-packages (inside the standard-library folder).

Everything costly (walking folders, resolving symlinks) happens once, in :func:`compute_plan`, in
the warm worker; the forked child only opens the resulting list.
"""

from __future__ import annotations

import glob
import os
import site
import sys
from collections.abc import Iterable
from pathlib import Path

#: Shared-library folders and system files the runtime reads (the dynamic loader, libc's name
#: service for ``getpass.getuser()``, the time zone).
SYSTEM_READ = (
    "/usr/lib",
    "/lib",
    "/lib64",
    "/usr/lib64",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
)
#: The child's own ``/proc`` entries it may read. Not ``/proc/self`` whole: ``environ`` would show
#: the environment the warm worker was started with, whatever the child's ``os.environ`` holds.
PROC_SELF_READ = tuple(
    f"/proc/self/{name}"
    for name in (
        "status",
        "stat",
        "statm",
        "limits",
        "cgroup",
        "maps",
        "smaps",
        "smaps_rollup",
        "cmdline",
        "comm",
        "fd",
        "fdinfo",
    )
)
"""Not ``task`` either: ``/proc/self/task/<tid>/environ`` and ``.../mem`` are the process's own
environment and memory under another name."""
#: Kernel files torch and Python read at run time (``/proc/cpuinfo`` and the CPU topology for
#: torch's cpuinfo, the process's own ``/proc`` entries) and harmless devices.
KERNEL_READ = (
    *PROC_SELF_READ,
    "/proc/cpuinfo",
    "/sys/devices/system/cpu",
    "/dev/null",
    "/dev/urandom",
    "/dev/zero",
)
#: Paths that stay literal: they must be opened by the child itself (``/proc/self`` names the
#: process that opens it), and resolving them in the parent would grant the parent's entries.
_LITERAL_PREFIXES = ("/proc/", "/dev/")

#: Driver files a CUDA child reads (glob patterns; only those present are granted).
CUDA_READ_PATTERNS = (
    "/proc/driver/nvidia",
    "/proc/devices",
    "/proc/modules",
    "/proc/meminfo",
    "/proc/sys/vm",
    "/sys/module/nvidia*",
    "/sys/bus/pci/devices",
    "/sys/devices/pci*",
    "/sys/devices/system/node",
    "/usr/local/nvidia",
    "/usr/local/cuda*",
    "/etc/nvidia",
    "/run/nvidia-persistenced",
)
#: CUDA device nodes: opened read-write and driven by ioctl.
CUDA_DEVICE_PATTERNS = (
    "/dev/nvidiactl",
    "/dev/nvidia[0-9]*",
    "/dev/nvidia-uvm",
    "/dev/nvidia-uvm-tools",
    "/dev/nvidia-modeset",
    "/dev/nvidia-caps",
)

_registered_hidden: set[Path] = set()


def register_hidden(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Add paths the child must never read (e.g. a course's hidden checks) to the hidden set."""
    for path in paths:
        _registered_hidden.add(Path(path).resolve())


def already_hidden(candidates: Iterable[Path]) -> bool:
    """Every path in ``candidates`` was registered as hidden before (the plan need not change)."""
    return all(Path(p).resolve() in _registered_hidden for p in candidates)


def grader_package_dir() -> Path:
    """The folder of the installed ``grader`` package."""
    return Path(__file__).resolve().parents[2]


def site_dirs() -> tuple[Path, ...]:
    """The site-packages folders on ``sys.path``."""
    candidates = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    if site.ENABLE_USER_SITE:
        candidates.append(site.getusersitepackages())
    candidates += [p for p in sys.path if p and Path(p).name in ("site-packages", "dist-packages")]
    on_path = {_resolve(p) for p in sys.path if p}
    found: list[Path] = []
    for candidate in candidates:
        resolved = _resolve(candidate)
        if resolved in on_path and resolved.is_dir() and resolved not in found:
            found.append(resolved)
    return tuple(found)


def stdlib_dirs() -> tuple[Path, ...]:
    """The standard-library folders: the one holding ``os.py`` and ``lib-dynload`` (and a zip).

    ``sysconfig``'s ``platstdlib`` names the virtual environment's own ``lib/python3.X`` inside a
    venv, so the folders are taken from where the standard library really is.
    """
    candidates = [os.path.dirname(os.__file__)]
    candidates += [p for p in sys.path if p.endswith(("lib-dynload", ".zip"))]
    found: list[Path] = []
    for candidate in candidates:
        resolved = _resolve(candidate)
        if resolved.exists() and not _inside_any(resolved, found):
            found.append(resolved)
    return tuple(found)


def hidden_paths() -> tuple[Path, ...]:
    """Paths that hold hidden checks or solutions, or packages the runtime does not use."""
    package = grader_package_dir()
    hidden = {package / "_bundled"}
    if not _inside_any(package, site_dirs()):
        # A checkout or an editable install: the repository root holds the course content.
        root = package.parent
        hidden.update(root / name for name in ("exercises", "solutions", "questions", "tests"))
    try:
        from grader.course import resolve_course

        course = resolve_course()
        hidden.update({course.exercises.resolve(), course.solutions.resolve()})
    except Exception:  # a broken course setting must not break the sandbox
        pass
    # An editable install can still leave a bundled copy in site-packages (hatch's force-include),
    # and another copy of the grader may be installed in the base interpreter's packages.
    for folder in site_dirs():
        hidden.add(folder / "grader" / "_bundled")
    for std in stdlib_dirs():
        for name in ("site-packages", "dist-packages"):
            hidden.add(std / name / "grader" / "_bundled")
    hidden.update(_registered_hidden)
    return tuple(sorted(hidden))


def compute_plan() -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """``(readable, listable)``: the read-only set, and the split folders that stay listable.

    A folder split around a hidden path keeps the right to *list* it (Landlock's ``READ_DIR``,
    which also covers the folders below): the import system lists ``site-packages`` to find a
    package it has not imported yet, and would fail without it. The names of hidden files are then
    visible to the child; their contents are not.
    """
    hidden = {h for h in hidden_paths() if os.path.lexists(h)}
    roots: list[Path] = [*stdlib_dirs(), *site_dirs()]
    package = grader_package_dir()
    if not _inside_any(package, roots):
        roots.append(package)
    roots += [_resolve(p) for p in SYSTEM_READ]
    granted: list[Path] = []
    listed: list[Path] = []
    for root in roots:
        _grant_tree(root, hidden, granted, listed)
    # Literal paths: "/proc/self/..." must be opened by the child itself to name its own entries.
    granted += [Path(p) for p in KERNEL_READ if os.path.exists(p)]
    return tuple(dict.fromkeys(granted)), tuple(dict.fromkeys(listed))


def cuda_read_paths() -> tuple[Path, ...]:
    """Driver files and folders a CUDA child reads, among those present here."""
    return _expand(CUDA_READ_PATTERNS)


def cuda_device_paths() -> tuple[Path, ...]:
    """CUDA device nodes present here (read-write and ioctl in a CUDA child)."""
    return _expand(CUDA_DEVICE_PATTERNS)


def _expand(patterns: Iterable[str]) -> tuple[Path, ...]:
    found: list[Path] = []
    for pattern in patterns:
        for match in sorted(glob.glob(pattern)):
            path = Path(match) if match.startswith(_LITERAL_PREFIXES) else _resolve(match)
            if path not in found:
                found.append(path)
    return tuple(found)


def _resolve(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(path))


def _inside_any(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _grant_tree(root: Path, hidden: set[Path], out: list[Path], listed: list[Path]) -> None:
    """Append ``root`` to ``out``, or, when a hidden path lies beneath it, its entries one by one
    (and ``root`` to ``listed``)."""
    if not root.exists() or _inside_any(root, hidden):
        return
    if not any(root in h.parents for h in hidden):
        out.append(root)
        return
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    listed.append(root)
    for entry in entries:
        # A granted tree does not extend to what its symlinks point at, so a split one must not
        # either: a link could otherwise smuggle a hidden tree back in under another name.
        if not entry.is_symlink():
            _grant_tree(Path(entry.path), hidden, out, listed)
