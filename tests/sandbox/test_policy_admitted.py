"""Correct submissions in many styles compile, load and work under the policy.

Each file in admitted/ implements one of the four exercise contracts (backward-linear,
dataset-pairs, fix-training-loop, prune-linear) in its own style; the checks below call it the way
the hidden checks would, and no policy violation may be recorded on the way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.sandbox.policy import VIOLATIONS, compile_submission, load_submission

ADMITTED = Path(__file__).parent / "admitted"


def load(path: Path) -> ModuleType:
    code = compile_submission(path.read_text(encoding="utf-8"), str(path))
    return load_submission(code, module_name=f"admitted_{path.stem}")


def check_backward_linear(module: ModuleType) -> None:
    function = module.LinearFunction
    torch.manual_seed(0)
    for shape in [(4, 3), (2, 5, 3)]:
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        w = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
        b = torch.randn(2, dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(function.apply, (x, w, b))
        assert torch.allclose(function.apply(x, w, b), x @ w.T + b)
        plain = (x.detach(), w.detach(), b.detach())
        grads = _forward_then_backward(
            function, plain, torch.ones(*shape[:-1], 2, dtype=torch.float64)
        )
        assert [tuple(g.shape) for g in grads] == [tuple(x.shape), (2, 3), (2,)]
    x = torch.randn(3, 4, dtype=torch.float64).T.requires_grad_()  # non-contiguous (4, 3)
    w = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    function.apply(x, w).sum().backward()
    assert torch.allclose(x.grad, torch.ones(4, 2, dtype=torch.float64) @ w.detach())
    assert torch.allclose(w.grad, torch.ones(2, 4, dtype=torch.float64) @ x.detach())


class _Ctx:
    """A stand-in ``ctx`` for calling forward/backward directly, as a hidden check may."""

    def __init__(self, inputs: tuple[torch.Tensor, ...]) -> None:
        self.needs_input_grad = (True, True, True)
        self.inputs = inputs

    def save_for_backward(self, *tensors: torch.Tensor) -> None:
        self.saved_tensors = tensors

    def mark_non_differentiable(self, *args: object) -> None:
        pass


def _forward_then_backward(function: type, inputs: tuple, grad: torch.Tensor) -> tuple:
    """Call the staticmethods directly, so that autograd cannot fix up a wrong gradient shape."""
    ctx = _Ctx(inputs)
    function.forward(ctx, *inputs)
    return function.backward(ctx, grad)


def check_dataset_pairs(module: ModuleType) -> None:
    dataset = module.PairDataset
    rng = np.random.default_rng(0)
    table = rng.normal(size=(5, 3))
    labels = [0, 1, 2, 1, 0]
    variants = [
        (table.tolist(), labels),
        (tuple(tuple(r) for r in table.tolist()), tuple(labels)),
        ([torch.tensor(r) for r in table], np.array(labels)),
        ([r.astype(np.int32) for r in (table * 10)], labels),
        (table, np.array(labels, dtype=np.int64)),
        (torch.tensor(table), labels),
    ]
    for features, targets in variants:
        ds = dataset(features, targets)
        assert len(ds) == 5
        x, y = ds[0]
        assert type(x) is torch.Tensor and x.dtype == torch.float32 and x.shape == (3,)
        assert type(y) is torch.Tensor and y.dtype == torch.int64 and y.shape == ()
        assert ds[-1][1].item() == 0 and torch.equal(ds[-1][0], ds[4][0])
        with pytest.raises(IndexError):
            ds[5]
    with pytest.raises(ValueError):
        dataset(table, labels[:4])
    calls = []
    ds = dataset(table, labels, transform=lambda t: calls.append(1) or t * 2)
    x, _ = ds[1]
    assert len(calls) == 1 and torch.allclose(x, torch.tensor(table[1] * 2, dtype=torch.float32))
    xb, yb = next(iter(DataLoader(dataset(table, labels), batch_size=2)))
    assert xb.shape == (2, 3) and xb.dtype == torch.float32
    assert yb.shape == (2,) and yb.dtype == torch.int64


def check_training_loop(module: ModuleType) -> None:
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    x = torch.randn(32, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)  # stale gradients must not leak into the first step
    model.eval()
    losses = module.train(model, loader, epochs=4, lr=0.05)
    assert isinstance(losses, list) and len(losses) == 4
    assert all(type(v) is float for v in losses)
    assert losses[-1] < losses[0] and model.training
    torch.manual_seed(0)
    reference = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.05)
    first = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.MSELoss()(reference(xb), yb)
        loss.backward()
        optimizer.step()
        first.append(loss.item())
    assert math.isclose(losses[0], sum(first) / len(first), rel_tol=1e-5)


def check_prune_linear(module: ModuleType) -> None:
    for amount in [0.0, 0.25, 0.5, 1]:
        torch.manual_seed(1)
        layer = nn.Linear(6, 4)
        before = layer.weight.detach().clone()
        bias = layer.bias.detach().clone()
        result = module.prune_linear(layer, amount)
        assert result is layer
        k = round(amount * before.numel())
        weight = layer.weight
        assert type(weight) is nn.Parameter and weight.dtype == torch.float32
        assert int((weight == 0).sum()) == k
        smallest = before.abs().flatten().argsort()[:k]
        assert bool((weight.detach().flatten()[smallest] == 0).all())
        kept = weight.detach() != 0
        assert torch.equal(weight.detach()[kept], before[kept])
        assert torch.equal(layer.bias.detach(), bias)
        assert not hasattr(layer, "weight_orig") and not hasattr(layer, "weight_mask")
        assert not layer._forward_pre_hooks
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            module.prune_linear(nn.Linear(2, 2), bad)


CHECKS: dict[str, Callable[[ModuleType], None]] = {
    "backward_linear": check_backward_linear,
    "dataset_pairs": check_dataset_pairs,
    "train_loop": check_training_loop,
    "prune_linear": check_prune_linear,
}
FILES = sorted(p for p in ADMITTED.glob("*.py") if p.stem != "idioms")


def test_at_least_five_styles_per_exercise() -> None:
    """Every contract has at least five admitted styles."""
    for prefix in CHECKS:
        assert len([p for p in FILES if p.stem.startswith(prefix)]) >= 5, prefix


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_style_compiles_loads_and_works(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The submission compiles and loads under the policy and satisfies its contract."""
    before = len(VIOLATIONS)
    module = load(path)
    check = next(c for prefix, c in CHECKS.items() if path.stem.startswith(prefix))
    check(module)
    assert VIOLATIONS[before:] == []


def test_idioms_work(capsys: pytest.CaptureFixture[str]) -> None:
    """Classes with protocol methods, closures, hooks, optimizers and more behave normally."""
    before = len(VIOLATIONS)
    results = load(ADMITTED / "idioms.py").run()
    assert results["protocol"] == (3, 4, [1, 2, 3], 2, True, "Counter(limit=3)")
    assert results["static"] == (8, 3)
    assert results["closure"] == 2 and results["generator"] == 14
    assert results["comprehensions"] == ({"a": 1, "b": 2}, {0, 1, 2})
    assert results["unpacking"] == (1, [2, 3])
    assert results["formatting"] == ("3.14", "1 and    x", "5%")
    assert results["exception"] == "ValueError" and results["enum"] == "GREEN"
    assert results["namedtuple"] == {"x": 1, "y": 2} and results["dataclass"] == 5
    assert results["itertools"] == [0, 1, 2] and results["typing"] == 3
    assert results["item_augassign"] == [0.0, 6.0, 0.0]
    assert results["training"] == (2, (4, 4), 0.005)
    assert results["inference"] == 1 and results["weights"] == (4.0, True)
    assert results["names"] == ("Net", "Net", True) and results["old_style"] == 2
    assert results["packed"] == 4 and results["numpy"] == 4.0
    assert results["cuda"] and results["device"]
    assert capsys.readouterr().out.strip().endswith("checks")
    assert VIOLATIONS[before:] == []
