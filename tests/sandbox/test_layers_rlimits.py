"""The rlimits layer alone: memory and file-size bombs become errors, CPU spins are killed.

The attacks go far beyond the limits (4 GiB against 1 GiB, 64 MiB against 1 MiB, endless spins
against 1 s of CPU), so a pass proves the limit acted rather than that the loop ended.
"""

from __future__ import annotations

import errno
import os
import signal

import pytest
from sandbox_child import attempt, hardened, spec_for

from grader.sandbox.os import _libc

pytestmark = pytest.mark.sandbox_layer("rlimits")
ONLY = ("rlimits",)
GIB = 1 << 30


def _memory_limit() -> int:
    """1 GiB, or more when this process (which the child starts as a copy of) is already large."""
    vm_kib = int((_libc.status_field("VmSize") or "0 kB").split()[0])
    return max(GIB, (vm_kib << 10) + (384 << 20))


def test_memory_bombs_become_errors_and_the_child_survives(scratch):
    """4 GiB as a Python list, a bytearray and a torch tensor each fail under a ~1 GiB limit."""

    def body():
        import torch

        def grow():
            chunks = []
            while True:
                chunks.append(bytearray(64 << 20))

        return {
            "list": attempt(lambda: [0] * (4 * GIB // 8)),
            "grow": attempt(grow),
            "tensor": attempt(lambda: torch.ones(4 * GIB // 4)),
            "after": float(torch.ones(8).sum()),
        }

    out = hardened(body, spec_for(scratch, memory_bytes=_memory_limit()), only=ONLY)
    result = out.value["result"]
    assert result["list"].startswith("MemoryError")
    assert result["grow"].startswith("MemoryError")
    assert result["tensor"].startswith("RuntimeError")
    assert result["after"] == 8.0


def test_huge_file_stops_at_the_size_limit(scratch):
    """Writing 64 MiB under a 1 MiB RLIMIT_FSIZE raises 'File too large'; the file is capped."""
    target = scratch / "big.bin"

    def body():
        def write():
            with open(target, "wb") as f:
                for _ in range(64):
                    f.write(b"x" * (1 << 20))

        return attempt(write)

    out = hardened(body, spec_for(scratch, file_bytes=1 << 20), only=ONLY)
    assert out.value["result"].startswith("OSError"), out.value
    assert os.strerror(errno.EFBIG) in out.value["result"]
    assert target.stat().st_size == 1 << 20


def test_python_spin_is_killed_by_the_cpu_limit(scratch):
    """`while True: pass` under a 1 s CPU limit dies of SIGXCPU after 1-2 s of CPU time."""

    def body():
        while True:
            pass

    out = hardened(body, spec_for(scratch, cpu_seconds=1), only=ONLY, timeout=20)
    assert not out.timed_out, "killed by the test's timeout, not by RLIMIT_CPU"
    assert out.signal in (signal.SIGXCPU, signal.SIGKILL)
    assert 0.9 <= out.cpu_seconds <= 2.5, out.cpu_seconds


def test_native_torch_spin_is_killed_by_the_cpu_limit(scratch):
    """A long matmul inside one native torch call is ended by the CPU limit too."""

    def body():
        import torch

        big = torch.rand(6000, 6000)
        for _ in range(100):
            big = big @ big
        return "finished"

    out = hardened(body, spec_for(scratch, cpu_seconds=1), only=ONLY, timeout=20)
    assert not out.timed_out, "killed by the test's timeout, not by RLIMIT_CPU"
    assert out.signal in (signal.SIGXCPU, signal.SIGKILL)
    assert 0.9 <= out.cpu_seconds <= 2.5, out.cpu_seconds
