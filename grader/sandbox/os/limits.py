"""Resource limits (``setrlimit``) for a sandboxed child.

``RLIMIT_CPU`` ends a spin even inside a native torch op (the kernel sends SIGXCPU at the soft
limit and SIGKILL at the hard one, whatever the process does with SIGXCPU); ``RLIMIT_AS`` turns a
memory bomb into ``MemoryError`` / torch ``RuntimeError``; ``RLIMIT_FSIZE`` turns a huge write into
``OSError: File too large`` (SIGXFSZ is ignored so the learner sees the error instead of a dead
child); ``RLIMIT_NOFILE`` caps descriptors and ``RLIMIT_CORE`` = 0 keeps crashes from writing
cores. ``RLIMIT_NPROC`` is not used: it counts threads too, is per user system-wide and does not
bind root; process creation is denied by seccomp instead.

A process with ``CAP_SYS_RESOURCE`` (root) could raise these limits again; the seccomp layer
therefore refuses ``setrlimit`` and ``prlimit64`` with a new limit.
"""

from __future__ import annotations

import math
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.sandbox.os.plan import SandboxSpec

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]


def unavailable_reason() -> str | None:
    """Why resource limits cannot be used here, or None."""
    if resource is None:
        return f"the resource module does not exist on {sys.platform}"
    return None


def planned_limits(spec: SandboxSpec) -> dict[str, tuple[int, int]]:
    """The ``(soft, hard)`` limits to set for ``spec``, keyed by resource name."""
    assert resource is not None
    cpu = max(1, math.ceil(spec.cpu_seconds))
    plan = {
        "RLIMIT_CPU": (cpu, cpu + 1),
        "RLIMIT_FSIZE": (spec.file_bytes, spec.file_bytes),
        "RLIMIT_NOFILE": (spec.open_files, spec.open_files),
        "RLIMIT_CORE": (0, 0),
    }
    if spec.memory_bytes is not None and not spec.cuda:
        # A CUDA context reserves tens of GiB of address space, so CUDA children get no
        # RLIMIT_AS (GPU memory is capped with torch.cuda.set_per_process_memory_fraction).
        plan["RLIMIT_AS"] = (spec.memory_bytes, spec.memory_bytes)
    return plan


def apply(spec: SandboxSpec) -> None:
    """Set every limit of ``spec`` on the calling process (never raises them).

    A limit above the current hard limit is clamped to it: an ordinary user cannot raise a hard
    limit, and a lower limit is only stricter.

    Raises:
        OSError: ``setrlimit`` refused a value (the layer is then only partly applied).
    """
    assert resource is not None
    # Python already ignores SIGXFSZ at start-up; make sure, so a big write is an OSError.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for name, (soft, hard) in planned_limits(spec).items():
        which = getattr(resource, name)
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            hard = min(hard, current_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))
