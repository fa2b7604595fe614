"""Hidden checks for clip-accumulate: gradient accumulation over groups of micro-batches, with the
total norm of the accumulated gradient clipped before each optimizer step.

The check's model (standard ``torch.nn`` layers, float64), optimizer (SGD with momentum, so an
extra or a missing step shows) and loader are sent as copies; the model comes back with the
learner's training merged into it. Every verdict compares what came back with a judge-side replay
of the statement's recipe on a deep copy, run before the call:

* the grouping (1/k scaling, one step per group, zeroing after each step): parameters after a
  pass with a ``max_norm`` no gradient reaches, so clipping never acts;
* the short last group: its own check, with group sizes 3, 3, 1 and a single group of 2;
* clipping of the accumulated gradient (not of each micro-batch, not of each parameter): every
  step clipped; then a ``max_norm`` between the steps' norms, so some steps are clipped and some
  are not;
* the returned norms: a learning rate of 0, so the model never moves and each step's
  accumulated gradient is known before the call, whatever the updates do;
* stale gradients left by the caller, and the defaults ``accum_steps=4, max_norm=1.0``.
"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import assert_close, fail, points, type_name

NEVER_CLIPS = 1e6
"""A max_norm no gradient of these models reaches: clipping never acts."""


def make_model(device, seed=0):
    """A small float64 MLP; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    return model.to(device=device, dtype=torch.float64)


def make_loader(device, micro_batches, seed=1, batch_size=2):
    """``micro_batches`` micro-batches of ``batch_size`` samples, in a fixed order."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(micro_batches * batch_size, 3, generator=g, dtype=torch.float64)
    w = torch.tensor([[1.5, -2.0], [0.5, 1.0], [-1.0, 0.3]], dtype=torch.float64)
    y = (x @ w).sin() * 2 + 0.5
    return DataLoader(TensorDataset(x.to(device), y.to(device)), batch_size=batch_size)


def sgd(model, lr=0.1):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9 if lr else 0.0)


def reference_train(model, loader, optimizer, accum_steps, max_norm):
    """The statement's recipe on the check's own copy; returns the per-step norms."""
    loss_fn = nn.MSELoss()
    norms = []
    count = len(loader)
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        (loss_fn(model(x), y) / accum_steps).backward()
        if (i + 1) % accum_steps == 0 or i + 1 == count:
            norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm).item())
            optimizer.step()
            optimizer.zero_grad()
    return norms


def groups_text(micro_batches, accum_steps):
    """'7 micro-batches with accum_steps=3 (groups of 3, 3 and 1: 3 optimizer steps)' and its
    Chinese, for messages."""
    sizes = [min(accum_steps, micro_batches - s) for s in range(0, micro_batches, accum_steps)]
    if len(sizes) == 1:
        listed, steps = f"one group of {sizes[0]}", "1 optimizer step"
    else:
        listed = "groups of " + ", ".join(str(s) for s in sizes[:-1]) + f" and {sizes[-1]}"
        steps = f"{len(sizes)} optimizer steps"
    return (
        f"{micro_batches} micro-batches with accum_steps={accum_steps} ({listed}: {steps})",
        f"{micro_batches} 个 micro-batch、accum_steps={accum_steps}（各组大小为 "
        f"{'、'.join(str(s) for s in sizes)}，共 {len(sizes)} 次优化器更新）",
    )


def run(
    submission, device, micro_batches, accum_steps, max_norm, *, stale=False, defaults=False, lr=0.1
):
    """Train the check's model with the learner's function and with the reference; returns
    (the learner's model, the reference model, the learner's result, the reference norms)."""
    loader = make_loader(device, micro_batches)
    reference = make_model(device)
    ref_norms = reference_train(reference, loader, sgd(reference, lr), accum_steps, max_norm)
    model = make_model(device)
    optimizer = sgd(model, lr)
    if stale:
        for p in model.parameters():
            p.grad = torch.full_like(p, 2.5)
    if defaults:
        result = submission.train_accumulated(model, loader, optimizer, nn.MSELoss())
    else:
        result = submission.train_accumulated(
            model, loader, optimizer, nn.MSELoss(), accum_steps=accum_steps, max_norm=max_norm
        )
    return model, reference, result, ref_norms


def check_parameters(model, reference, what_en, what_zh):
    """Every parameter equals the reference model's after the same pass."""
    got = dict(model.named_parameters())
    want = dict(reference.named_parameters())
    if list(got) != list(want):
        fail(
            en=f"{what_en}: the model's parameters changed: expected {list(want)}, got {list(got)} "
            "(train_accumulated must not replace the model's layers)",
            zh=f"{what_zh}：模型的参数被改变了：应为 {list(want)}，实际为 {list(got)}"
            "（train_accumulated 不应替换模型的层）",
        )
    for name, q in want.items():
        # The 1e-6 of clip_grad_norm_'s factor may be left out: about 1e-7 per step.
        assert_close(
            got[name].detach(),
            q.detach(),
            rtol=1e-5,
            atol=1e-6,
            what_en=f"{what_en}: parameter {name}",
            what_zh=f"{what_zh}：参数 {name}",
        )


def norm_values(result):
    """The returned norms as floats (a float, an int or a one-element tensor each)."""
    if type(result) not in (list, tuple):
        fail(
            en=f"train_accumulated should return a list of norms, one per optimizer step, got "
            f"{type_name(result)}",
            zh=f"train_accumulated 应返回范数列表（每次优化器更新一个），实际返回 {type_name(result)}",
        )
    values = []
    for i, v in enumerate(result):
        if type(v) is torch.Tensor and v.numel() == 1:
            values.append(float(v.detach().to("cpu", torch.float64).reshape(-1)[0].item()))
        elif isinstance(v, int | float) and type(v) is not bool:
            values.append(float(v))
        else:
            fail(
                en=f"value {i} of the returned list should be a number, got {type_name(v)}",
                zh=f"返回列表的第 {i} 个值应为数值，实际为 {type_name(v)}",
            )
    return values


@points(2)
@pytest.mark.parametrize("micro_batches, accum_steps", [(6, 3), (8, 4), (4, 1)], ids=str)
def test_accumulates_groups(submission, device, micro_batches, accum_steps):
    """Full groups, clipping never acts: each step uses the sum of loss / accum_steps over its
    group's micro-batches, and the gradients are zeroed after every step."""
    model, reference, _, _ = run(submission, device, micro_batches, accum_steps, NEVER_CLIPS)
    en, zh = groups_text(micro_batches, accum_steps)
    check_parameters(
        model,
        reference,
        f"after one pass over {en} (is each loss divided by accum_steps? one step per group? "
        "gradients zeroed after each step?)",
        f"遍历一次 {zh}之后（每个损失都除以 accum_steps 了吗？每组只更新一次吗？每次更新后梯度清零了吗？）",
    )


@points(1.5)
@pytest.mark.parametrize("micro_batches, accum_steps", [(7, 3), (2, 4)], ids=str)
def test_last_partial_group(submission, device, micro_batches, accum_steps):
    """A short last group takes a step too, its losses divided by accum_steps like the others."""
    model, reference, _, _ = run(submission, device, micro_batches, accum_steps, NEVER_CLIPS)
    en, zh = groups_text(micro_batches, accum_steps)
    check_parameters(
        model,
        reference,
        f"after one pass over {en} (the short last group takes a step too, its losses divided by "
        "accum_steps, not by its own size)",
        f"遍历一次 {zh}之后（最后一组不满也要更新一次，其损失同样除以 accum_steps，而不是除以该组的大小）",
    )


@points(2)
@pytest.mark.parametrize("micro_batches, accum_steps", [(6, 3), (8, 2)], ids=str)
def test_clips_accumulated_gradient(submission, device, micro_batches, accum_steps):
    """max_norm=0.3, below every step's norm: the total norm of the accumulated gradient (all
    parameters together) is clipped, after the group's last backward and before the step."""
    model, reference, _, _ = run(submission, device, micro_batches, accum_steps, 0.3)
    en, zh = groups_text(micro_batches, accum_steps)
    check_parameters(
        model,
        reference,
        f"with max_norm=0.3, after one pass over {en} (clip the total norm of the accumulated "
        "gradient of all parameters together, once per step, just before optimizer.step(); not "
        "each micro-batch, not each parameter)",
        f"max_norm=0.3 时，遍历一次 {zh}之后（应在每次 optimizer.step() 之前，把所有参数累积梯度的总范数一起裁剪一次；"
        "不是逐个 micro-batch 裁剪，也不是逐个参数裁剪）",
    )


@points(1)
def test_clip_threshold(submission, device):
    """max_norm=1.5, between the steps' norms: a step whose norm is below max_norm keeps its
    gradient unchanged, the others are scaled down to max_norm."""
    model, reference, _, ref_norms = run(submission, device, 8, 2, 1.5)
    clipped = sum(1 for n in ref_norms if n > 1.5)
    check_parameters(
        model,
        reference,
        f"with max_norm=1.5, after 4 steps of which {clipped} have a larger norm (scale a "
        "gradient only when its total norm is above max_norm)",
        f"max_norm=1.5 时，4 次更新之后，其中 {clipped} 次的范数更大（只有总范数超过 max_norm 时才缩放梯度）",
    )


@points(2)
@pytest.mark.parametrize("micro_batches, accum_steps", [(6, 2), (8, 4), (7, 3)], ids=str)
def test_returns_norms(submission, device, micro_batches, accum_steps):
    """One value per optimizer step: the total norm of that step's accumulated gradient before
    clipping (lr=0, so the model never moves and the norms are the check's own)."""
    _, _, result, ref_norms = run(submission, device, micro_batches, accum_steps, 0.5, lr=0.0)
    values = norm_values(result)
    en, zh = groups_text(micro_batches, accum_steps)
    if len(values) != len(ref_norms):
        fail(
            en=f"for {en}, train_accumulated should return {len(ref_norms)} norms, one per "
            f"optimizer step, got {len(values)}",
            zh=f"对于 {zh}，train_accumulated 应返回 {len(ref_norms)} 个范数（每次优化器更新一个），"
            f"实际返回 {len(values)} 个",
        )
    for step, (got, want) in enumerate(zip(values, ref_norms, strict=True)):
        if not math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9):
            fail(
                en=f"for {en} and max_norm=0.5, the norm returned for step {step} should be the "
                f"total norm of the accumulated gradient before clipping, {want:.6g}; got {got:.6g}",
                zh=f"对于 {zh}、max_norm=0.5，第 {step} 次更新返回的范数应为裁剪之前累积梯度的总范数 "
                f"{want:.6g}，实际为 {got:.6g}",
            )


@points(0.5)
def test_returns_floats(submission, device):
    """The norms are plain Python floats (not tensors)."""
    _, _, result, _ = run(submission, device, 4, 2, 0.5, lr=0.0)
    if type(result) not in (list, tuple) or not result:
        got = "an empty list" if type(result) in (list, tuple) else type_name(result)
        got_zh = "空列表" if type(result) in (list, tuple) else type_name(result)
        fail(
            en=f"train_accumulated should return a non-empty list of floats, got {got}",
            zh=f"train_accumulated 应返回非空的 float 列表，实际返回 {got_zh}",
        )
    for i, v in enumerate(result):
        if type(v) is not float:
            fail(
                en=f"value {i} of the returned list should be a Python float, got {type_name(v)} "
                "(clip_grad_norm_ returns a tensor: use .item())",
                zh=f"返回列表的第 {i} 个值应为 Python float，实际为 {type_name(v)}"
                "（clip_grad_norm_ 返回的是张量：用 .item()）",
            )


@points(0.5)
def test_stale_gradients(submission, device):
    """Gradients the caller left in .grad do not leak into the first group."""
    model, reference, _, _ = run(submission, device, 4, 2, NEVER_CLIPS, stale=True)
    check_parameters(
        model,
        reference,
        "when the caller left stale gradients in .grad (zero them before the first micro-batch)",
        "调用者在 .grad 中留下旧梯度时（在第一个 micro-batch 之前清零）",
    )


@points(0.5)
def test_defaults(submission, device):
    """train_accumulated(model, loader, optimizer, loss_fn) means accum_steps=4, max_norm=1.0."""
    model, reference, _, _ = run(submission, device, 8, 4, 1.0, defaults=True)
    check_parameters(
        model,
        reference,
        "called without accum_steps and max_norm (the defaults are accum_steps=4, max_norm=1.0)",
        "不传 accum_steps 和 max_norm 调用时（默认值为 accum_steps=4、max_norm=1.0）",
    )
