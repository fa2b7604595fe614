"""Grader library code that runs inside the executor and reports data.

A check asks for one of these by name (``grader.judge.remote.executor_helper``) when a fact can
only be observed where the learner's code runs, e.g. what a checkpoint file the submission wrote
contains. The judge treats what comes back exactly like the learner's own outputs: data, checked
against its own references, never trusted as a verdict.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import torch


class HelperError(Exception):
    """A helper was asked for something it does not do."""


def _scratch_path(path: Any) -> str:
    if type(path) is not str or not path or os.path.isabs(path) or ".." in path.split(os.sep):
        raise HelperError(f"{path!r} is not a path inside the scratch folder")
    return path


def load_file(path: str) -> Any:
    """``torch.load(path, weights_only=True)`` of a file the submission wrote in its scratch
    folder (the judge never opens a file the submission could have replaced)."""
    return torch.load(_scratch_path(path), map_location="cpu", weights_only=True)


def file_exists(path: str) -> bool:
    return os.path.isfile(_scratch_path(path))


def checkpoint_roundtrip_write(path: str, obj: Any) -> None:
    """checkpoint-roundtrip: ``torch.save(obj, path)`` of a checkpoint the check built (data
    only: state dicts and an int), in the scratch folder, for the learner's loader to read."""
    torch.save(obj, _scratch_path(path))


class Affine:
    """A transform ``x * scale + shift`` that counts its calls: a deterministic function whose
    effect the judge sees in the outputs (the count is for messages only)."""

    def __init__(self, scale: float = 2.0, shift: float = 1.0) -> None:
        self.scale = scale
        self.shift = shift
        self.calls = 0

    def __call__(self, x: Any) -> Any:
        self.calls += 1
        return x * self.scale + self.shift


OBJECTS: dict[str, Callable[..., Any]] = {
    "Affine": Affine,
}
"""Grader-library classes a check may instantiate inside the executor (it gets a handle)."""


def make(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    factory = OBJECTS.get(name)
    if factory is None:
        raise HelperError(f"unknown executor object {name!r}")
    return factory(*args, **kwargs)


def backward_linear_autograd_calls(function: Any, ctx: Any, grad_output: Any) -> list[str]:
    """backward-linear: call ``function.backward(ctx, grad_output)`` with grad mode off (as the
    engine does) and name the autograd entry points it called (``torch.autograd.grad``,
    ``torch.autograd.backward``, ``Tensor.backward``). The executor's word: for unscored
    feedback only, never a verdict."""
    from torch.overrides import TorchFunctionMode

    entry_points = {
        torch.autograd.grad: "torch.autograd.grad",
        torch.autograd.backward: "torch.autograd.backward",
        torch.Tensor.backward: "Tensor.backward",
    }
    calls: list[str] = []

    class Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
            if func in entry_points:
                calls.append(entry_points[func])
            return func(*args, **(kwargs or {}))

    with torch.no_grad(), Recorder():
        function.backward(ctx, grad_output)
    return sorted(set(calls))


HELPERS: dict[str, Callable[..., Any]] = {
    "backward_linear_autograd_calls": backward_linear_autograd_calls,
    "load_file": load_file,
    "file_exists": file_exists,
    "checkpoint_roundtrip_write": checkpoint_roundtrip_write,
}


def run(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    helper = HELPERS.get(name)
    if helper is None:
        raise HelperError(f"unknown helper {name!r}")
    return helper(*args, **kwargs)
