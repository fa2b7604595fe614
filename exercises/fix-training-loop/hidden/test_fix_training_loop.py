"""Hidden checks for fix-training-loop: SGD + MSELoss, per-epoch mean losses as floats.

The learner's code runs in the executor. The check's model (standard ``torch.nn`` layers only) and
loader are sent as copies; the model comes back with the learner's training merged into it, and
every verdict compares what came back with a judge-side replay computed before the call:

* the updates (lr, epochs, zero_grad before every backward, stale gradients): the final parameters
  of an MLP whose output does not depend on the training mode, against a plain SGD replay;
* training mode in every epoch: a model that starts with ``BatchNorm1d`` is left in eval mode;
  its running statistics (and ``num_batches_tracked``) depend only on the inputs and on how many
  forwards ran in training mode, so they must equal those of a replay in training mode;
* the returned means: a model whose trainable parameters get exactly zero gradients (a dead ReLU,
  the last bias frozen), so every batch loss is known before the call, whatever the updates do;
* the returned types: plain Python floats.

"No autograd graph outlives its step" is not observable from outputs (only the executor sees
graphs), so it is not graded: the public check test_no_graph_kept reports it from an
executor-side probe (its 1.5 points went to test_train_mode, test_returns_floats and
test_epoch_means).
"""

from __future__ import annotations

import copy
import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import assert_close, expect, fail, points, type_name


def make_model(device, seed=0, batchnorm=False):
    """A small float64 MLP; the same seed gives the same weights. With ``batchnorm`` it starts
    with a BatchNorm1d over the inputs (its running statistics depend on the inputs only)."""
    torch.manual_seed(seed)
    layers = [nn.BatchNorm1d(3)] if batchnorm else []
    model = nn.Sequential(*layers, nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    return model.to(device=device, dtype=torch.float64)


def make_frozen_model(device):
    """An MLP whose output is the constant 0.25 and whose trainable parameters always get exactly
    zero gradients (every ReLU input is about -100; the last bias does not require grad), so SGD
    leaves it unchanged whatever the learning rate, the zeroing or the order of the calls."""
    torch.manual_seed(2)
    first, last = nn.Linear(3, 4), nn.Linear(4, 1)
    with torch.no_grad():
        first.bias.fill_(-100.0)
        last.bias.fill_(0.25)
    last.bias.requires_grad_(False)
    return nn.Sequential(first, nn.ReLU(), last).to(device=device, dtype=torch.float64)


def make_loader(device, n=10, batch_size=4, seed=1):
    """(x, y) batches on ``device``; 10 samples in batches of 4, 4 and 2."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g, dtype=torch.float64)
    y = (x @ torch.tensor([[1.5], [-2.0], [0.5]], dtype=torch.float64)).sin() + 0.3
    return DataLoader(TensorDataset(x.to(device), y.to(device)), batch_size=batch_size)


def reference_train(model, loader, epochs, lr):
    """What the statement asks for, on the check's own model: returns the per-epoch means."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    model.train()
    means = []
    for _ in range(epochs):
        values = []
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            values.append(loss.item())
        means.append(sum(values) / len(values))
    return means


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
    got = dict(model.named_parameters())
    if list(got) != list(ref):
        fail(
            en=f"the model's parameters changed {what_en}: expected {list(ref)}, got {list(got)} "
            "(train must not replace the model's layers)",
            zh=f"模型的参数{what_zh}被改变了：应为 {list(ref)}，实际为 {list(got)}（train 不应替换模型的层）",
        )
    for name, p in got.items():
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
            en=f"train should return a list of per-epoch losses, got {type_name(result)}",
            zh=f"train 应当返回每个 epoch 损失组成的列表，实际返回 {type_name(result)}",
        )
    if len(result) != epochs:
        fail(
            en=f"with epochs={epochs}, train should return {epochs} values (one mean per epoch), "
            f"got {len(result)}",
            zh=f"epochs={epochs} 时 train 应当返回 {epochs} 个值（每个 epoch 一个平均值），"
            f"实际返回 {len(result)} 个",
        )
    values = []
    for i, v in enumerate(result):
        if type(v) is torch.Tensor and v.numel() == 1:
            values.append(float(v.detach().to("cpu", torch.float64).reshape(-1)[0].item()))
        elif isinstance(v, int | float) and type(v) is not bool:  # NumPy float64 too
            values.append(float(v))
        else:
            fail(
                en=f"loss of epoch {i} should be a number, got {type_name(v)}",
                zh=f"第 {i} 个 epoch 的损失应为数值，实际为 {type_name(v)}",
            )
    return values


@points(2)
@pytest.mark.parametrize("case", ["lr=0.05", "defaults"])
def test_single_step(submission, device, case):
    """One batch, one epoch: the parameters take exactly one SGD step of MSELoss with the given lr
    (lr=0.1 and epochs=1 by default)."""
    model, reference = make_model(device), make_model(device)
    loader = make_loader(device, n=4, batch_size=4)
    if case == "defaults":
        reference_train(reference, loader, epochs=1, lr=0.1)
        run_train(submission, model, loader)  # train(model, loader): epochs=1, lr=0.1
    else:
        reference_train(reference, loader, epochs=1, lr=0.05)
        run_train(submission, model, loader, epochs=1, lr=0.05)
    check_parameters(model, reference, "after one SGD step", "在一次 SGD 更新之后")


@points(1.5)
def test_trajectory(submission, device):
    """Two epochs of three batches: the parameters follow plain SGD (gradients zeroed each step)."""
    model, reference = make_model(device), make_model(device)
    loader = make_loader(device)
    reference_train(reference, loader, epochs=2, lr=0.05)
    run_train(submission, model, loader, epochs=2, lr=0.05)
    check_parameters(
        model,
        reference,
        "after 2 epochs of 3 batches (are gradients zeroed before every backward?)",
        "在 2 个 epoch、每个 3 个批次之后（每次 backward 之前梯度清零了吗？）",
    )


@points(1.5)
def test_stale_gradients(submission, device):
    """Gradients left in .grad by the caller do not leak into the first step."""
    model, reference = make_model(device), make_model(device)
    loader = make_loader(device)
    reference_train(reference, loader, epochs=1, lr=0.05)
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)
    run_train(submission, model, loader, epochs=1, lr=0.05)
    check_parameters(
        model,
        reference,
        "when the caller left stale gradients in .grad (zero them before the first backward too)",
        "在调用者留下旧梯度时（第一次 backward 之前也要清零）",
    )


@points(1.5)
def test_train_mode(submission, device):
    """The model is in training mode for every training forward of every epoch, even when the
    caller left it in eval mode: the running statistics of its leading BatchNorm1d (which depend
    only on the inputs and on the number of training-mode forwards) equal a replay's."""
    epochs = 2
    loader = make_loader(device)
    reference = make_model(device, batchnorm=True)
    reference_train(reference, loader, epochs=epochs, lr=0.05)
    expected = {name: b.detach().clone() for name, b in reference[0].named_buffers()}
    forwards = epochs * len(loader)
    model = make_model(device, batchnorm=True)
    model.eval()
    run_train(submission, model, loader, epochs=epochs, lr=0.05)
    norm = model[0] if type(model[0]) is nn.BatchNorm1d else None
    counted = getattr(norm, "num_batches_tracked", None)
    if type(counted) is not torch.Tensor or counted.numel() != 1:
        fail(
            en="the model's BatchNorm1d came back without its num_batches_tracked buffer",
            zh="模型的 BatchNorm1d 返回时缺少 num_batches_tracked 缓冲区",
        )
    seen = int(counted.reshape(-1)[0].item())
    expect(
        seen == forwards,
        en=f"{epochs} epochs of {len(loader)} batches are {forwards} training forwards, but the "
        f"model's BatchNorm1d counted {seen} forwards in training mode (the caller left the model "
        f"in eval mode: call model.train(), and keep it in training mode in every epoch)",
        zh=f"{epochs} 个 epoch、每个 {len(loader)} 个批次共 {forwards} 次训练前向，但模型的 BatchNorm1d "
        f"只记录到 {seen} 次训练模式下的前向（调用者把模型留在了 eval 模式：调用 model.train()，"
        f"并在每个 epoch 都保持训练模式）",
    )
    for name in ("running_mean", "running_var"):
        assert_close(
            getattr(norm, name),
            expected[name],
            rtol=1e-7,
            atol=1e-10,
            what_en=f"the BatchNorm1d's {name} after training (was every forward in training mode?)",
            what_zh=f"训练后 BatchNorm1d 的 {name}（每次前向都处于训练模式吗？）",
        )


@points(1.5)
def test_returns_floats(submission, device):
    """train returns a list of plain Python floats (not tensors, not NumPy scalars)."""
    model = make_model(device)
    result = run_train(submission, model, make_loader(device), epochs=2, lr=0.05)
    if type(result) not in (list, tuple) or len(result) == 0:
        fail(
            en=f"train should return a non-empty list of floats, got {type_name(result)}",
            zh=f"train 应当返回非空的 float 列表，实际返回 {type_name(result)}",
        )
    for i, v in enumerate(result):
        if type(v) is not float:
            fail(
                en=f"value {i} of the returned list should be a Python float, got {type_name(v)} "
                f"(use loss.item())",
                zh=f"返回列表中第 {i} 个值应为 Python float，实际为 {type_name(v)}（使用 loss.item()）",
            )


@points(2)
@pytest.mark.parametrize("epochs", [1, 3])
def test_epoch_means(submission, device, epochs):
    """train returns, for each epoch, the mean of that epoch's per-batch loss values (one value
    per epoch; batches of 4, 4 and 2 samples count equally). The model's updates are exactly zero,
    so the batch losses are the check's own, computed before the call."""
    model = make_frozen_model(device)
    loader = make_loader(device)
    frozen = copy.deepcopy(model)
    criterion = nn.MSELoss()
    with torch.no_grad():
        batch_losses = [criterion(frozen(x), y).item() for x, y in loader]
    expected = sum(batch_losses) / len(batch_losses)
    values = loss_values(run_train(submission, model, loader, epochs=epochs, lr=0.05), epochs)
    for e in range(epochs):
        if not math.isclose(values[e], expected, rel_tol=1e-6, abs_tol=1e-9):
            fail(
                en=f"the loss of epoch {e} should be the mean of its {len(batch_losses)} batch "
                f"losses, {expected:.6g}; got {values[e]:.6g}",
                zh=f"第 {e} 个 epoch 的损失应为其 {len(batch_losses)} 个批次损失的平均值 "
                f"{expected:.6g}，实际为 {values[e]:.6g}",
            )
