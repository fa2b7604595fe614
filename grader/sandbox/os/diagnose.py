"""What ``grader doctor`` reports: sandbox layers, Python, torch, CUDA, and sandboxed smoke tests.

Nothing here initialises CUDA in the calling process: torch facts come from a throwaway
interpreter (``PYTORCH_NVML_BASED_CUDA_CHECK=1``), and the smoke tests run in forked children that
harden themselves *before* importing torch, exactly as a check child would, which also proves the
read-only path set is complete enough to import torch.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from grader.i18n import Text
from grader.sandbox.os import layers as sandbox_layers
from grader.sandbox.os import paths, probe

log = logging.getLogger(__name__)

_TORCH_FACTS = r"""
import json, os, sys
facts = {}
try:
    import numpy
    facts["numpy"] = numpy.__version__
except Exception as exc:
    facts["numpy_error"] = f"{type(exc).__name__}: {exc}"
try:
    import torch
    facts["torch"] = torch.__version__
    facts["cuda_build"] = torch.version.cuda
    facts["cuda_available"] = bool(torch.cuda.is_available())
    facts["devices"] = []
    if facts["cuda_available"]:
        facts["devices"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
except Exception as exc:
    facts["torch_error"] = f"{type(exc).__name__}: {exc}"
sys.stdout.write(json.dumps(facts))
"""


def torch_facts(timeout: float = 120.0) -> dict[str, Any]:
    """torch/numpy versions and CUDA presence, from a throwaway interpreter (CUDA stays cold here)."""
    env = dict(os.environ, PYTORCH_NVML_BASED_CUDA_CHECK="1")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _TORCH_FACTS],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        facts: dict[str, Any] = json.loads(done.stdout or "{}")
        if done.returncode != 0 and not facts:
            lines = done.stderr.strip().splitlines()
            facts["torch_error"] = lines[-1] if lines else f"the probe exited {done.returncode}"
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        facts = {"torch_error": f"{type(exc).__name__}: {exc}"}
    return facts


def _smoke_body(cuda: bool, scratch: Path) -> dict[str, Any]:
    """Runs in a forked child: harden, then import torch and run a tiny forward/backward."""
    import time

    spec = sandbox_layers.SandboxSpec(
        cpu_seconds=60, memory_bytes=None if cuda else 4 << 30, scratch=scratch, cuda=cuda
    )
    failures: dict[str, str] = {}
    active = sandbox_layers.harden(spec, failures=failures)
    start = time.monotonic()
    import torch

    if not cuda:
        # As the executor does (see seccomp.EXEC_MAPPING); torch types the flag as ContextProp.
        torch.backends.mkldnn.enabled = False  # type: ignore[assignment]
    torch.set_num_threads(1)
    device = "cuda" if cuda else "cpu"
    weight = torch.randn(32, 32, device=device, requires_grad=True)
    (weight @ weight).sum().backward()
    assert weight.grad is not None
    # What the executable-memory rule could break: a conv2d (oneDNN's JIT) and a large matmul.
    x = torch.randn(2, 3, 32, 32, device=device, requires_grad=True)
    torch.nn.functional.conv2d(x, torch.randn(8, 3, 3, 3, device=device)).sum().backward()
    big = torch.randn(1024, 1024, device=device)
    assert (big @ big).shape == (1024, 1024)
    if cuda:
        torch.cuda.synchronize()
    return {
        "layers": list(active),
        "failures": failures,
        "seconds": round(time.monotonic() - start, 3),
    }


def scratch_probe(timeout: float = 30.0) -> dict[str, Any]:
    """Can the executor's scratch folder be a private noexec tmpfs with a quota here?"""
    from grader.sandbox.os import scratch as scratch_quota

    folder = Path(tempfile.mkdtemp(prefix="grader-doctor-"))
    try:
        outcome = probe.run_forked(lambda: scratch_quota.mount_private_tmpfs(folder), timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    tmpfs = bool(outcome.value) and outcome.error is None
    return {
        "private_tmpfs": tmpfs,
        "quota_files": scratch_quota.QUOTA_FILES,
        "quota_bytes": scratch_quota.QUOTA_BYTES,
    }


def smoke_test(cuda: bool, timeout: float = 180.0) -> dict[str, Any]:
    """Harden a forked child, import torch in it and run a tiny op on the CPU or the GPU."""
    scratch = Path(tempfile.mkdtemp(prefix="grader-doctor-"))
    os.chmod(scratch, 0o777)
    try:
        outcome = probe.run_forked(lambda: _smoke_body(cuda, scratch), timeout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    device = "cuda" if cuda else "cpu"
    if outcome.timed_out:
        log.warning("sandboxed smoke test (%s): did not finish within %g s", device, timeout)
        return {"ok": False, "reason": f"did not finish within {timeout:g} s"}
    if outcome.error is not None or outcome.value is None:
        why = outcome.error or f"the child died (signal {outcome.signal})"
        log.warning("sandboxed smoke test (%s) failed: %s", device, why)
        return {"ok": False, "reason": why}
    # The hardened child cannot log; a layer that failed in it is reported here, by its parent.
    for name, why in sorted(outcome.value.get("failures", {}).items()):
        log.warning("sandbox layer %s failed in the smoke test child (%s): %s", name, device, why)
    return {"ok": True, **outcome.value}


def diagnose(smoke: bool = True) -> dict[str, Any]:
    """The ``grader doctor --format json`` document."""
    sandbox_layers.prepare()
    available = sandbox_layers.available_layers()
    facts = torch_facts()
    cuda = bool(facts.get("cuda_available"))
    report: dict[str, Any] = {
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "uid": os.geteuid() if hasattr(os, "geteuid") else None,
        },
        "layers": [
            {
                "name": name,
                "active": available.get(name) is None,
                "reason": available.get(name),
                "essential": name in sandbox_layers.ESSENTIAL_LAYERS,
                "role": sandbox_layers.ESSENTIAL_LAYERS.get(name)
                or sandbox_layers.EXTRA_LAYERS[name],
                "needs": sandbox_layers.KERNEL_NEEDS[name],
            }
            for name in sandbox_layers.LAYERS
        ],
        "python": {"version": platform.python_version(), "executable": sys.executable},
        "torch": facts,
        "cuda": {
            "available": cuda,
            "device_nodes": [str(p) for p in paths.cuda_device_paths()],
            "driver_paths": [str(p) for p in paths.cuda_read_paths()],
            "sandbox_verified": False,
        },
        "smoke": {},
        "notes": [],
    }
    report["scratch"] = scratch_probe()
    if not report["scratch"]["private_tmpfs"]:
        report["notes"].append(
            Text(
                zh="本机无法创建私有挂载命名空间：执行进程临时文件夹的配额改为在检查之间计数"
                "（并用 RLIMIT_FSIZE 限制单个文件），且该文件夹不是 noexec。",
                en="No private mount namespace here: the executor's scratch quota is enforced by "
                "counting its files between checks (and RLIMIT_FSIZE per file), and the scratch "
                "folder is not noexec.",
            ).to_dict()
        )
    if smoke and "torch_error" not in facts:
        report["smoke"]["cpu"] = smoke_test(cuda=False)
        if cuda:
            report["smoke"]["cuda"] = smoke_test(cuda=True)
            report["cuda"]["sandbox_verified"] = bool(report["smoke"]["cuda"]["ok"])
    if not cuda:
        report["notes"].append(
            Text(
                zh="本机没有 GPU：CUDA 沙箱路径（设备节点、驱动文件、不设 RLIMIT_AS）未经验证。",
                en="No GPU here: the CUDA sandbox paths (device nodes, driver files, no "
                "RLIMIT_AS) are unverified on this machine.",
            ).to_dict()
        )
    problems: list[str] = []
    if "torch_error" in facts:
        problems.append(f"torch cannot be imported: {facts['torch_error']}")
    for device, result in report["smoke"].items():
        if not result.get("ok"):
            problems.append(f"the sandboxed smoke test ({device}) failed: {result['reason']}")
    report["problems"] = problems
    report["essential_complete"] = not problems and all(
        layer["active"] for layer in report["layers"] if layer["essential"]
    )
    report["complete"] = report["essential_complete"] and all(
        layer["active"] for layer in report["layers"]
    )
    return report
