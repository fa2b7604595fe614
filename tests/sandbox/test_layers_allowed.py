"""With every available layer on, what a check legitimately needs still works."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from sandbox_child import hardened, spec_for

from grader.sandbox.os.probe import run_forked

REPO = Path(__file__).resolve().parents[2]


def _not_imported(candidates: list[str]) -> str:
    """A module not imported yet, else the first one (the child then re-imports it from disk)."""
    return next((name for name in candidates if name not in sys.modules), candidates[0])


def test_full_harden_applies_every_available_layer(scratch, available):
    """harden() reports exactly the layers the probe found available, in LAYERS order."""
    out = hardened(lambda: None, spec_for(scratch, memory_bytes=4 << 30))
    expected = [name for name, reason in available.items() if reason is None]
    assert out.value["active"] == expected


def test_runtime_still_works_after_harden(scratch):
    """Lazy imports of pure-Python modules (stdlib, a package, a torch submodule), a training
    step, /proc/self, scratch. (A native extension must be imported before hardening: the seccomp
    filter refuses new executable mappings, see test_native_code_refused_but_kernels_work.)"""
    stdlib = _not_imported(["colorsys", "graphlib", "netrc", "tomllib"])
    package = _not_imported(["annotated_types", "pygments", "markdown_it", "click"])
    torch_sub = _not_imported(["torch.ao.pruning", "torch.distributions"])

    import torch._dynamo  # noqa: F401  (the first optimizer step imports it; the template preloads it too)

    def body():
        import importlib
        import tempfile

        import numpy
        import torch

        for name in (stdlib, package, torch_sub):
            sys.modules.pop(name, None)  # force a read from disk even if the suite imported it
            importlib.import_module(name)
        layer = torch.nn.Linear(4, 2)
        loss = layer(torch.randn(8, 4)).pow(2).mean()
        loss.backward()
        torch.optim.SGD(layer.parameters(), lr=0.1).step()  # imports torch._dynamo lazily
        product = float((torch.ones(32, 32) @ torch.ones(32, 32)).sum())
        with tempfile.TemporaryFile() as tmp:
            tmp.write(b"scratch")
        (Path.cwd() / "out.txt").write_text("written")
        status = Path("/proc/self/status").read_text()
        return {
            "grad": layer.weight.grad is not None,
            "product": product,
            "numpy": int(numpy.arange(5).sum()),
            "status": status.startswith("Name:"),
            "cwd": str(Path.cwd()),
        }

    out = hardened(body, spec_for(scratch, memory_bytes=4 << 30), timeout=60)
    assert out.error is None, out.error
    assert out.value["result"] == {
        "grad": True,
        "product": 32.0 * 32 * 32,
        "numpy": 10,
        "status": True,
        "cwd": str(scratch),
    }
    assert (scratch / "out.txt").read_text() == "written"


_THREADS_SCRIPT = textwrap.dedent(
    """
    import json, sys, tempfile, threading
    import torch
    from grader.sandbox.os import layers
    from grader.sandbox.os.probe import run_forked

    layers.prepare()
    scratch = tempfile.mkdtemp()

    def child():
        active = layers.harden(layers.SandboxSpec(cpu_seconds=30, memory_bytes=4 << 30,
                                                  scratch=__import__("pathlib").Path(scratch)))
        torch.set_num_threads(2)
        big = float((torch.ones(512, 512) @ torch.ones(512, 512)).sum())
        sums = []
        workers = [threading.Thread(target=lambda: sums.append(float(torch.ones(100).sum())))
                   for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return {"active": list(active), "threads": torch.get_num_threads(), "big": big,
                "sums": sums}

    out = run_forked(child, 60)
    __import__("shutil").rmtree(scratch, ignore_errors=True)
    print(json.dumps({"value": out.value, "error": out.error, "signal": out.signal}))
    """
)


def test_torch_intra_op_threads_and_python_threads_work(available):
    """In a fresh worker (no op run before the fork), 2 intra-op threads and 4 Python threads run.

    A fresh interpreter is used because an OpenMP op already run in this pytest process would
    make any forked child deadlock on its first parallel op (GNU OpenMP is not fork-safe).
    """
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["error"] is None, report
    value = report["value"]
    assert value["active"] == [name for name, reason in available.items() if reason is None]
    assert value["threads"] == 2
    assert value["big"] == 512.0 * 512 * 512
    assert value["sums"] == [100.0] * 4


def test_native_code_refused_but_kernels_work(scratch, available):
    """Under the seccomp filter no anonymous executable memory can be mapped (no native code
    written and run through ctypes or a JIT), shared libraries of the runtime still load, and CPU
    conv2d (forward and backward) and a large matmul still run: the executor turns oneDNN, whose
    JIT needs executable memory, off first."""
    if available.get("seccomp") is not None:
        import pytest

        pytest.skip(f"seccomp unavailable: {available['seccomp']}")

    def body():
        import ctypes
        import mmap

        import torch

        torch.backends.mkldnn.enabled = False
        out = {}
        x = torch.randn(2, 3, 32, 32, requires_grad=True)
        conv = torch.nn.Conv2d(3, 8, 3)
        conv(x).sum().backward()
        out["conv"] = tuple(x.grad.shape)
        a = torch.randn(1024, 1024)
        out["matmul"] = tuple((a @ a).shape)
        try:
            mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            out["exec_map"] = "allowed"
        except OSError as exc:
            out["exec_map"] = exc.strerror
        try:
            ctypes.CDLL("libcrypt.so.1")
            out["dlopen"] = "loaded"
        except OSError as exc:
            out["dlopen"] = str(exc)
        return out

    out = hardened(body, spec_for(scratch, memory_bytes=4 << 30), timeout=60)
    assert out.error is None, out.error
    assert out.value["result"]["conv"] == [2, 3, 32, 32]
    assert out.value["result"]["matmul"] == [1024, 1024]
    assert out.value["result"]["exec_map"] == "Operation not permitted"
    assert out.value["result"]["dlopen"] in (
        "loaded",
        "libcrypt.so.1: cannot open shared object file: No such file or directory",
    )


def test_scratch_tmpfs_is_noexec_and_capped(tmp_path):
    """The executor's private scratch tmpfs: a library copied into it cannot be mapped to run,
    and writes stop at the quota."""
    import ctypes.util
    import os
    import shutil

    from grader.sandbox.os import scratch as scratch_quota

    lib = ctypes.util.find_library("crypt") or ctypes.util.find_library("z")
    if lib is None:
        import pytest

        pytest.skip("no shared library to copy")

    def body():
        import ctypes

        folder = tmp_path / "scratch"
        folder.mkdir()
        if not scratch_quota.mount_private_tmpfs(folder):
            return {"mounted": False}
        source = next(
            p
            for p in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64")
            if os.path.exists(os.path.join(p, lib))
        )
        shutil.copy(os.path.join(source, lib), folder / "copy.so")
        try:
            ctypes.CDLL(str(folder / "copy.so"))
            loaded = "loaded"
        except OSError as exc:
            loaded = str(exc)
        written = 0
        try:
            with open(folder / "big", "wb") as fh:
                for _ in range(200):
                    fh.write(b"\0" * (1 << 20))
                    written += 1
        except OSError as exc:
            written = -exc.errno
        return {"mounted": True, "loaded": loaded, "written": written}

    out = run_forked(body, 20.0)
    assert out.error is None, out.error
    if not out.value["mounted"]:
        import pytest

        pytest.skip("no private mount namespace here")
    assert "failed to map segment" in out.value["loaded"]
    assert out.value["written"] < 0
