"""Preparing a warm process: everything a check child needs is imported once, no torch op is run."""

from __future__ import annotations

import gc
import logging
import os
from typing import Any

log = logging.getLogger(__name__)

_PREPARED: dict[str, Any] | None = None


def prepare(preload_dynamo: bool = True) -> dict[str, Any]:
    """Import torch, numpy, pytest, the policy and the sandbox layers; return facts about this machine.

    Runs no torch op (a forked child of a parent that ran an OpenMP op deadlocks) and never
    initialises CUDA (a forked child could not use it): CUDA is detected through NVML.
    """
    global _PREPARED
    if _PREPARED is not None:
        return _PREPARED
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    import numpy  # noqa: F401
    import torch

    if preload_dynamo:
        # The first optimizer in a process imports torch._dynamo (~0.8 s): pay it once here.
        import torch._dynamo
    import importlib

    import _pytest.config
    import _pytest.runner
    import pytest  # noqa: F401

    for name in _pytest.config.default_plugins:  # pytest imports these in every session
        importlib.import_module(f"_pytest.{name}")

    import grader.checks
    import grader.executor.serve
    from grader.executor.template import import_allowed_modules

    import_allowed_modules(())  # mapped before any executor's seccomp filter
    import grader.executor.template
    import grader.judge.grading
    import grader.judge.plugin  # noqa: F401
    from grader.sandbox import policy  # noqa: F401

    layers: dict[str, str | None] = {}
    try:
        from grader.sandbox.os import layers as sandbox_layers

        sandbox_layers.prepare()
        layers = dict(sandbox_layers.available_layers())
    except ImportError as exc:
        log.warning("the OS sandbox could not be imported, so no layer is applied: %s", exc)
        layers = {}
    try:
        cuda = bool(torch.cuda.is_available())
    except Exception as exc:  # a broken driver means no CUDA
        log.debug("CUDA is treated as absent: torch.cuda.is_available() raised %r", exc)
        cuda = False
    _PREPARED = {"cuda": cuda, "layers": layers}
    # Move everything imported so far out of the collector's reach: a forked process then never
    # walks (and copies, page by page) the parent's heap in gc.collect(). pytest's session
    # teardown collects five times; without this it costs ~1.7 s per graded submission.
    gc.freeze()
    return _PREPARED
