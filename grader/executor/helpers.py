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


class _FixTrainingLoopToken:
    """fix-training-loop: an object only the autograd graph of one training step refers to."""


class _FixTrainingLoopHold(torch.autograd.Function):
    """fix-training-loop: the identity, whose graph node holds a token."""

    @staticmethod
    def forward(ctx: Any, x: Any, token: Any) -> Any:
        ctx.token = token
        return x.clone()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        return grad, None


class FixTrainingLoopGraphProbe(torch.nn.Module):
    """fix-training-loop: a float64 MLP (3 -> 8 -> 1) that hangs a token on the autograd graph of
    every forward run with grad enabled and keeps only a weak reference to it, so a graph kept
    alive across steps (``total += loss``) shows as a live token. ``report()`` says what it saw:
    the executor's word, for unscored feedback only."""

    def __init__(self, device: Any = "cpu", seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
        ).to(device=torch.device(device), dtype=torch.float64)
        self._tokens: list[Any] = []
        self._kept: list[list[int]] = []  # [step, older step whose graph was still alive]
        self._collections = 0

    def forward(self, x: Any) -> Any:
        import gc
        import weakref

        y = self.net(x)
        if not torch.is_grad_enabled():
            return y
        step = len(self._tokens)
        if not self._kept:  # the first graph kept alive is enough; gc.collect costs ~0.2 s
            alive = [j for j in range(step - 1) if self._tokens[j]() is not None]
            if alive:  # confirm with a full collection (reference cycles), at most twice
                self._collections += 1
                if self._collections <= 2:
                    gc.collect()
                    alive = [j for j in alive if self._tokens[j]() is not None]
                else:
                    alive = []
            self._kept.extend([step, j] for j in alive)
        token = _FixTrainingLoopToken()
        self._tokens.append(weakref.ref(token))
        return _FixTrainingLoopHold.apply(y, token)

    def report(self) -> dict[str, Any]:
        """Training forwards seen, the first graph found alive at a later step, and the steps
        whose graphs are still alive now (after a full collection)."""
        import gc

        alive = [j for j, ref in enumerate(self._tokens) if ref() is not None]
        if alive:
            gc.collect()
            alive = [j for j, ref in enumerate(self._tokens) if ref() is not None]
        return {"forwards": len(self._tokens), "kept": self._kept[:1], "alive": alive}


class DatasetPairsCountingTransform:
    """dataset-pairs: a stateful transform whose k-th call (k = 0, 1, ...) returns a new float64
    tensor ``x.double() * scale + k * step``: the judge reads from the values how many calls came
    before and whether ``x`` was float32, and from the dtype whether the result came back as is.
    A non-tensor ``x`` is returned unchanged. ``calls`` is for messages only."""

    def __init__(self, scale: float = 2.0, step: float = 100.0) -> None:
        self.scale = float(scale)
        self.step = float(step)
        self.calls = 0

    def __call__(self, x: Any) -> Any:
        k = self.calls
        self.calls += 1
        if type(x) is not torch.Tensor:
            return x
        return x.detach().to(torch.float64) * self.scale + k * self.step


_GRAD_SCALER_OPTIONS = frozenset(
    {"init_scale", "growth_factor", "backoff_factor", "growth_interval", "enabled"}
)


def mixed_precision_grad_scaler(device_type: str, **options: Any) -> torch.amp.GradScaler:
    """mixed-precision-step: the caller's ``torch.amp.GradScaler(device_type, **options)``, made
    here because a scaler cannot cross the channel. The check chooses its scale and growth, the
    learner's step drives it, and the check reads ``get_scale()`` back and compares it with its
    own scaler's: data, never a verdict by itself."""
    if device_type not in ("cpu", "cuda"):
        raise HelperError(f"no GradScaler for device type {device_type!r}")
    unknown = sorted(set(options) - _GRAD_SCALER_OPTIONS)
    if unknown:
        raise HelperError(f"unknown GradScaler options {unknown}")
    return torch.amp.GradScaler(device_type, **options)


OBJECTS: dict[str, Callable[..., Any]] = {
    "Affine": Affine,
    "dataset_pairs_counting_transform": DatasetPairsCountingTransform,
    "fix_training_loop_graph_probe": FixTrainingLoopGraphProbe,
    "mixed_precision_grad_scaler": mixed_precision_grad_scaler,
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
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func in entry_points:
                calls.append(entry_points[func])
            return func(*args, **(kwargs or {}))

    with torch.no_grad(), Recorder():
        function.backward(ctx, grad_output)
    return sorted(set(calls))


def transfer_freeze_steps(
    model: Any,
    part: str,
    x: Any,
    target: Any,
    steps: int,
    optimizer: Any = None,
    lr: float = 0.0,
) -> dict[str, Any]:
    """transfer-freeze: ``steps`` training steps of ``model`` (``part`` ``""``), or of its
    ``backbone`` or ``head`` alone, on input ``x``. The loss is ``cross_entropy(out, target)``,
    or ``out.square().mean()`` when ``target`` is None. With ``optimizer`` (the learner's) a step
    is ``zero_grad(); loss.backward(); step()``; without, a plain SGD step of rate ``lr`` on every
    parameter of the module that got a gradient. Returns the losses and whether the loss required
    grad (when it did not, the steps stop there). What the parameters became is read back by the
    check and compared with its own replay: data, never a verdict by itself."""
    if part not in ("", "backbone", "head"):
        raise HelperError(f"unknown part {part!r}")
    module = getattr(model, part) if part else model
    losses: list[float] = []
    for _ in range(int(steps)):
        params = list(module.parameters())
        if optimizer is not None:
            optimizer.zero_grad()
        else:
            for p in params:
                p.grad = None
        out = module(x)
        if target is None:
            loss = out.square().mean()
        else:
            loss = torch.nn.functional.cross_entropy(out, target)
        losses.append(float(loss.detach()))
        if not loss.requires_grad:
            return {"losses": losses, "backward": False}
        loss.backward()
        if optimizer is not None:
            optimizer.step()
        else:
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-float(lr))
    return {"losses": losses, "backward": True}


def train_step_device_moves(
    function: Any, model: Any, batch: Any, optimizer: Any, loss_fn: Any
) -> dict[str, Any]:
    """train-step-device: call ``function(model, batch, optimizer, loss_fn)`` and report where the
    batch's two tensors were moved (``.to``, ``.cuda``, ``.cpu``, ``torch.as_tensor``,
    ``torch.tensor``) and which moves or conversions were called on the model's parameters and
    buffers. The executor's word: for unscored feedback only, never a verdict."""
    from torch.overrides import TorchFunctionMode

    movers = {torch.Tensor.to, torch.Tensor.cuda, torch.Tensor.cpu, torch.as_tensor, torch.tensor}
    converters = movers | {
        torch.Tensor.double,
        torch.Tensor.float,
        torch.Tensor.half,
        torch.Tensor.bfloat16,
        torch.Tensor.type,
    }
    inputs, targets = batch[0], batch[1]
    state = {id(t) for t in (*model.parameters(), *model.buffers())}
    moved: dict[str, list[str | None]] = {"inputs": [], "targets": []}
    model_calls: set[str] = set()

    def device_name(d: Any) -> str:
        d = torch.device(d)
        if d.type == "cuda" and d.index is None:
            d = torch.device("cuda", torch.cuda.current_device())
        return str(d)

    def target(func: Any, args: Any, kwargs: dict[str, Any]) -> str | None:
        if func is torch.Tensor.cpu:
            return "cpu"
        if func is torch.Tensor.cuda:
            index = kwargs.get("device", args[1] if len(args) > 1 else None)
            return device_name("cuda" if index is None else torch.device("cuda", index))
        if kwargs.get("device") is not None:
            return device_name(kwargs["device"])
        for arg in args[1:]:
            if isinstance(arg, str | torch.device | int) and not isinstance(arg, bool):
                return device_name(arg)
            if isinstance(arg, torch.Tensor):
                return device_name(arg.device)
        return None

    class Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if args and func in converters:
                first = args[0]
                if func in movers and (first is inputs or first is targets):
                    try:
                        where = target(func, args, kwargs)
                    except (RuntimeError, TypeError, ValueError):
                        where = None
                    moved["inputs" if first is inputs else "targets"].append(where)
                elif id(first) in state:
                    model_calls.add(getattr(func, "__name__", "convert"))
            return func(*args, **kwargs)

    model_device = device_name(next(model.parameters()).device)
    with Recorder():
        function(model, batch, optimizer, loss_fn)
    return {"model_device": model_device, **moved, "model": sorted(model_calls)}


HELPERS: dict[str, Callable[..., Any]] = {
    "train_step_device_moves": train_step_device_moves,
    "backward_linear_autograd_calls": backward_linear_autograd_calls,
    "transfer_freeze_steps": transfer_freeze_steps,
    "checkpoint_roundtrip_write": checkpoint_roundtrip_write,
}


def run(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    helper = HELPERS.get(name)
    if helper is None:
        raise HelperError(f"unknown helper {name!r}")
    return helper(*args, **kwargs)
