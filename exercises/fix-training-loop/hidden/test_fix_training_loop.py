"""Hidden checks for fix-training-loop: SGD + MSELoss, per-epoch mean losses as floats.

The model built here carries a probe module that records, on every forward, the training flag,
the output (so the expected per-epoch means come from the submission's own forwards, independent of
whether its updates are right) and a token held by the autograd graph of that step (so a graph kept
alive across steps, e.g. by ``total += loss``, is seen through a weak reference).
"""

from __future__ import annotations

import gc
import math
import weakref

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import assert_close, expect, fail, points


class _Token:
    """An object only the autograd graph of one step refers to."""


class _Probe:
    """What the probe module saw: one entry per forward."""

    def __init__(self) -> None:
        self.modes: list[bool] = []
        self.outputs: list[torch.Tensor] = []
        self.tokens: list[weakref.ref] = []
        self.kept: list[tuple[int, int]] = []  # (step, older step whose graph was still alive)
        self.collections = 0


class _HoldToken(torch.autograd.Function):
    """Identity whose graph node holds a token."""

    @staticmethod
    def forward(ctx, x, token):
        ctx.token = token
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class _ProbeModule(nn.Module):
    def __init__(self, probe: _Probe) -> None:
        super().__init__()
        self.probe = probe

    def forward(self, x):
        probe = self.probe
        if not torch.is_grad_enabled():
            return x
        step = len(probe.modes)
        probe.modes.append(self.training)
        probe.outputs.append(x.detach().clone())
        if not probe.kept:  # the first graph kept alive is enough; gc.collect costs ~0.2 s
            alive = [j for j in range(step - 1) if probe.tokens[j]() is not None]
            if alive:  # confirm with a full collection (reference cycles), at most twice
                probe.collections += 1
                if probe.collections <= 2:
                    gc.collect()
                    alive = [j for j in alive if probe.tokens[j]() is not None]
                else:
                    alive = []
            probe.kept.extend((step, j) for j in alive)
        token = _Token()
        probe.tokens.append(weakref.ref(token))
        return _HoldToken.apply(x, token)


def make_model(device, seed=0):
    """A small float64 MLP ending in the probe; the same seed gives the same weights."""
    torch.manual_seed(seed)
    probe = _Probe()
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1), _ProbeModule(probe))
    return model.to(device=device, dtype=torch.float64), probe


def make_loader(device, n=10, batch_size=4, seed=1):
    """(x, y) batches on ``device``; 10 samples in batches of 4, 4 and 2."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g, dtype=torch.float64)
    y = (x @ torch.tensor([[1.5], [-2.0], [0.5]], dtype=torch.float64)).sin() + 0.3
    return DataLoader(TensorDataset(x.to(device), y.to(device)), batch_size=batch_size)


def reference_train(model, loader, epochs, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    model.train()
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()


def run_train(submission, model, loader, epochs=None, lr=None):
    kwargs = {}
    if epochs is not None:
        kwargs["epochs"] = epochs
    if lr is not None:
        kwargs["lr"] = lr
    return submission.train(model, loader, **kwargs)


def check_parameters(model, reference, what_en, what_zh):
    """Every parameter equals the reference model's after the same training."""
    ref = dict(reference.named_parameters())
    for name, p in model.named_parameters():
        assert_close(
            p.detach(),
            ref[name].detach(),
            rtol=1e-7,
            atol=1e-10,
            what_en=f"parameter '{name}' {what_en}",
            what_zh=f"参数 '{name}' {what_zh}",
        )


def loss_values(result, epochs):
    """The returned per-epoch values as floats (a float, int or one-element tensor each)."""
    if type(result) not in (list, tuple):
        fail(
            f"train should return a list of per-epoch losses, got {type(result).__name__}",
            f"train 应当返回每个 epoch 损失组成的列表，实际返回 {type(result).__name__}",
        )
    if len(result) != epochs:
        fail(
            f"with epochs={epochs}, train should return {epochs} values (one mean per epoch), "
            f"got {len(result)}",
            f"epochs={epochs} 时 train 应当返回 {epochs} 个值（每个 epoch 一个平均值），"
            f"实际返回 {len(result)} 个",
        )
    values = []
    for i, v in enumerate(result):
        if type(v) is torch.Tensor and v.numel() == 1:
            values.append(float(v.detach().to("cpu", torch.float64).reshape(-1)[0].item()))
        elif isinstance(v, (int, float)) and type(v) is not bool:
            values.append(float(v))
        else:
            fail(
                f"loss of epoch {i} should be a number, got {type(v).__name__}",
                f"第 {i} 个 epoch 的损失应为数值，实际为 {type(v).__name__}",
            )
    return values


@points(2)
@pytest.mark.parametrize("case", ["lr=0.05", "defaults"])
def test_single_step(submission, device, case):
    """One batch, one epoch: the parameters take exactly one SGD step of MSELoss with the given lr
    (lr=0.1 and epochs=1 by default)."""
    model, _ = make_model(device)
    reference, _ = make_model(device)
    loader = make_loader(device, n=4, batch_size=4)
    if case == "defaults":
        run_train(submission, model, loader)  # train(model, loader): epochs=1, lr=0.1
        reference_train(reference, loader, epochs=1, lr=0.1)
    else:
        run_train(submission, model, loader, epochs=1, lr=0.05)
        reference_train(reference, loader, epochs=1, lr=0.05)
    check_parameters(model, reference, "after one SGD step", "在一次 SGD 更新之后")


@points(1.5)
def test_trajectory(submission, device):
    """Two epochs of three batches: the parameters follow plain SGD (gradients zeroed each step)."""
    model, _ = make_model(device)
    reference, _ = make_model(device)
    loader = make_loader(device)
    run_train(submission, model, loader, epochs=2, lr=0.05)
    reference_train(reference, loader, epochs=2, lr=0.05)
    check_parameters(
        model,
        reference,
        "after 2 epochs of 3 batches (are gradients zeroed before every backward?)",
        "在 2 个 epoch、每个 3 个批次之后（每次 backward 之前梯度清零了吗？）",
    )


@points(1.5)
def test_stale_gradients(submission, device):
    """Gradients left in .grad by the caller do not leak into the first step."""
    model, _ = make_model(device)
    reference, _ = make_model(device)
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)
    loader = make_loader(device)
    run_train(submission, model, loader, epochs=1, lr=0.05)
    reference_train(reference, loader, epochs=1, lr=0.05)
    check_parameters(
        model,
        reference,
        "when the caller left stale gradients in .grad (zero them before the first backward too)",
        "在调用者留下旧梯度时（第一次 backward 之前也要清零）",
    )


@points(1)
def test_train_mode(submission, device):
    """The model is in training mode while it trains, even when the caller left it in eval mode."""
    model, probe = make_model(device)
    model.eval()
    run_train(submission, model, make_loader(device), epochs=1, lr=0.05)
    expect(
        len(probe.modes) > 0,
        "train never called the model with gradients enabled",
        "train 从未在启用梯度的情况下调用模型",
    )
    in_eval = sum(1 for m in probe.modes if not m)
    expect(
        in_eval == 0,
        f"the model was in eval mode for {in_eval} of {len(probe.modes)} training forwards "
        f"(call model.train() before training)",
        f"{len(probe.modes)} 次训练前向中有 {in_eval} 次模型处于 eval 模式（训练前调用 model.train()）",
    )


@points(1)
def test_returns_floats(submission, device):
    """train returns a list of plain Python floats (not tensors, not NumPy scalars)."""
    model, _ = make_model(device)
    result = run_train(submission, model, make_loader(device), epochs=2, lr=0.05)
    if type(result) not in (list, tuple) or len(result) == 0:
        fail(
            f"train should return a non-empty list of floats, got {type(result).__name__}",
            f"train 应当返回非空的 float 列表，实际返回 {type(result).__name__}",
        )
    for i, v in enumerate(result):
        if type(v) is not float:
            fail(
                f"value {i} of the returned list should be a Python float, got {type(v).__name__} "
                f"(use loss.item())",
                f"返回列表中第 {i} 个值应为 Python float，实际为 {type(v).__name__}（使用 loss.item()）",
            )


@points(1.5)
@pytest.mark.parametrize("epochs", [1, 3])
def test_epoch_means(submission, device, epochs):
    """train returns, for each epoch, the mean of that epoch's per-batch loss values (one value
    per epoch; batches of 4, 4 and 2 samples count equally)."""
    model, probe = make_model(device)
    loader = make_loader(device)
    result = run_train(submission, model, loader, epochs=epochs, lr=0.05)
    targets = [y for _, y in loader]
    n_batches = len(targets)
    if len(probe.outputs) != epochs * n_batches:
        fail(
            f"with {epochs} epochs of {n_batches} batches the model should be called "
            f"{epochs * n_batches} times, it was called {len(probe.outputs)} times",
            f"{epochs} 个 epoch、每个 {n_batches} 个批次时，模型应被调用 {epochs * n_batches} 次，"
            f"实际调用了 {len(probe.outputs)} 次",
        )
    values = loss_values(result, epochs)
    for e in range(epochs):
        batch_losses = [
            float(((probe.outputs[e * n_batches + k] - targets[k]) ** 2).mean())
            for k in range(n_batches)
        ]
        expected = sum(batch_losses) / n_batches
        if not math.isclose(values[e], expected, rel_tol=1e-6, abs_tol=1e-9):
            fail(
                f"the loss of epoch {e} should be the mean of its {n_batches} batch losses, "
                f"{expected:.6g}; got {values[e]:.6g}",
                f"第 {e} 个 epoch 的损失应为其 {n_batches} 个批次损失的平均值 {expected:.6g}，"
                f"实际为 {values[e]:.6g}",
            )


@points(1.5)
def test_no_graph_kept(submission, device):
    """No autograd graph outlives its step (accumulate loss.item(), not loss)."""
    model, probe = make_model(device)
    result = run_train(submission, model, make_loader(device), epochs=2, lr=0.05)
    if probe.kept:
        step, older = probe.kept[0]
        fail(
            f"at training step {step} the autograd graph of step {older} was still alive: "
            f"something keeps a tensor attached to the graph (e.g. `total += loss`; "
            f"use `total += loss.item()`)",
            f"在第 {step} 步训练时，第 {older} 步的计算图仍然存活：有东西保留着连在计算图上的张量"
            f"（例如 `total += loss`；应写 `total += loss.item()`）",
        )
    del result
    alive = [j for j, ref in enumerate(probe.tokens) if ref() is not None]
    if alive:  # only then pay for a full collection (reference cycles)
        gc.collect()
        alive = [j for j, ref in enumerate(probe.tokens) if ref() is not None]
    expect(
        not alive,
        f"after train returned, the autograd graphs of {len(alive)} steps were still alive "
        f"(does the result hold tensors that require grad?)",
        f"train 返回后仍有 {len(alive)} 步的计算图存活（返回值里是否有需要梯度的张量？）",
    )
