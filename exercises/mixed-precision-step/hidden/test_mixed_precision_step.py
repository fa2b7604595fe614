"""Hidden checks for mixed-precision-step: a training step under torch.autocast with a GradScaler.

Devices. ``device: any``: every check that takes the ``device`` fixture runs on the GPU when the
grader has one (float16 autocast, ``GradScaler("cuda")``) and on the CPU otherwise (bfloat16,
``GradScaler("cpu")``); test_cpu_bfloat16_step always runs on the CPU. No check is ever skipped,
so a grade on a machine without a GPU is complete (a skipped check would make the whole result
"not graded"); what only goes wrong on CUDA (an autocast hard-coded to "cpu") is seen only there.

The scaler is a real ``torch.amp.GradScaler`` the check configures, made in the executor (a
scaler cannot cross the channel) and driven there by the learner's step; the check keeps an
identical one for its own replay and reads the learner's scale back with ``get_scale()``. The
model and optimizer come back with the learner's step merged into them.

Two kinds of data, so that one mistake costs the checks about it only:

* exact data (a Linear layer whose weights, inputs and targets are small dyadic numbers): the
  forward and backward are exact in float16, bfloat16 and float32 alike, so the checks of the
  scaler's steps (scale, unscale_ before clipping, step, update), the clipping and the zeroing
  give the same verdict whether or not autocast is used. Checks of several calls either give
  each call a fresh exact model (a clipped step leaves parameters bfloat16 would round) or take
  unclipped SGD steps at rate 0.25, which keep the parameters short dyadic numbers;
* the autocast checks: targets within 0.01 of the float32 prediction, so that the rounding of
  the prediction in float16 or bfloat16 changes the loss by far more than the tolerance.

A requirement that applies on every call (unscale_ before clipping, the default max_norm, zeroing
the gradients, update()) is checked on every call of a sequence of two or three.
"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from grader.checks import assert_close, executor_object, expect, fail, points, type_name

AUTOCAST = {"cpu": torch.bfloat16, "cuda": torch.float16}
NEVER_CLIPS = 1e6


def exact_model(device, seed):
    """Linear(3, 2) with weights and bias in {-1, -0.5, 0, 0.5, 1}."""
    g = torch.Generator().manual_seed(seed)
    model = nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.randint(-2, 3, (2, 3), generator=g) / 2)
        model.bias.copy_(torch.randint(-1, 2, (2,), generator=g) / 2)
    return model.to(device)


def exact_batch(device, seed, scale=1.0):
    """Inputs in {-1, 0, 1}, targets in multiples of 0.5 (times ``scale``), 4 samples."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(-1, 2, (4, 3), generator=g).float()
    y = torch.randint(-2, 3, (4, 2), generator=g).float() * scale / 2
    return x.to(device), y.to(device)


def close_target_problem(device, seed):
    """A float32 MLP and a batch whose targets are within 0.01 of its float32 prediction."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4)).to(device)
    g = torch.Generator().manual_seed(seed + 100)
    x = torch.randn(16, 8, generator=g).to(device)
    with torch.no_grad():
        y = model(x) + 0.01 * torch.randn(16, 4, generator=g).to(device)
    return model, (x, y)


def scale_text(value):
    """A scale for messages: ``2**126`` rather than ``8.50706e+37``."""
    if type(value) is float and value > 0 and math.isfinite(value):
        exponent = round(math.log2(value))
        if 2.0**exponent == value and abs(exponent) > 10:
            return f"2**{exponent}"
    return f"{value:g}" if type(value) is float else repr(value)


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.25, momentum=0.5)


def big_sgd(model):
    """A large learning rate, so the rounding of the prediction moves the parameters far more
    than the tolerance (float16 against float32: about 800 times the tolerance)."""
    return torch.optim.SGD(model.parameters(), lr=50.0)


def make_optimizer(kind, model):
    return torch.optim.Adam(model.parameters(), lr=0.01) if kind == "adam" else sgd(model)


def scalers(device_type, **options):
    """The learner's scaler (a GradScaler made in the executor) and the check's identical one."""
    return (
        executor_object("mixed_precision_grad_scaler", device_type, **options),
        torch.amp.GradScaler(device_type, **options),
    )


def reference_step(model, batch, optimizer, scaler, max_norm, loss_fn=None):
    """The statement's step on the check's own model, optimizer and scaler (loss MSELoss unless
    given); returns the loss and the total norm of the unscaled gradients."""
    x, y = batch
    device_type = x.device.type
    optimizer.zero_grad()
    with torch.autocast(device_type=device_type, dtype=AUTOCAST[device_type]):
        loss = (loss_fn or nn.MSELoss())(model(x), y)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item(), norm.item()


def learner_step(submission, model, batch, optimizer, scaler, max_norm=None, loss_fn=None):
    loss_fn = loss_fn or nn.MSELoss()
    if max_norm is None:
        return submission.amp_train_step(model, batch, optimizer, loss_fn, scaler)
    return submission.amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=max_norm)


def compare_parameters(model, reference, what_en, what_zh, rtol=1e-6, atol=1e-7):
    got = dict(model.named_parameters())
    want = dict(reference.named_parameters())
    if list(got) != list(want):
        fail(
            en=f"{what_en}: the model's parameters changed: expected {list(want)}, got {list(got)}",
            zh=f"{what_zh}：模型的参数被改变了：应为 {list(want)}，实际为 {list(got)}",
        )
    for name, q in want.items():
        assert_close(
            got[name].detach(),
            q.detach(),
            rtol=rtol,
            atol=atol,
            what_en=f"{what_en}: parameter {name}",
            what_zh=f"{what_zh}：参数 {name}",
        )


@points(1)
@pytest.mark.parametrize("device_type", ["cpu", "cuda", "mps", "xpu"])
def test_autocast_dtype(submission, device_type):
    """autocast_dtype("cpu") is torch.bfloat16, autocast_dtype("cuda") is torch.float16, and any
    other device type raises ValueError."""
    if device_type in AUTOCAST:
        got = submission.autocast_dtype(device_type)
        expect(
            got == AUTOCAST[device_type],
            en=f'autocast_dtype("{device_type}") should be {AUTOCAST[device_type]}, got {got!r}',
            zh=f'autocast_dtype("{device_type}") 应为 {AUTOCAST[device_type]}，实际为 {got!r}',
        )
        return
    try:
        got = submission.autocast_dtype(device_type)
    except ValueError:
        return
    except Exception as exc:
        fail(
            en=f'autocast_dtype("{device_type}") should raise ValueError, got {type(exc).__name__}: {exc}',
            zh=f'autocast_dtype("{device_type}") 应抛出 ValueError，实际抛出 {type(exc).__name__}：{exc}',
        )
    fail(
        en=f'autocast_dtype("{device_type}") should raise ValueError, but it returned {got!r}',
        zh=f'autocast_dtype("{device_type}") 应抛出 ValueError，但它返回了 {got!r}',
    )


@points(1)
def test_autocast_forward(submission, device):
    """On the grader's device, the forward pass and the loss run under
    torch.autocast(device.type, dtype=autocast_dtype(device.type)): the parameters after the step
    equal the check's autocast step, far from a float32 one (the targets are within 0.01 of the
    prediction, so its rounding decides the gradient)."""
    model, batch = close_target_problem(device, seed=1)
    reference = close_target_problem(device, seed=1)[0]
    dtype = AUTOCAST[device.type]
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    reference_step(reference, batch, big_sgd(reference), ref_scaler, NEVER_CLIPS)
    learner_step(submission, model, batch, big_sgd(model), learner_scaler, NEVER_CLIPS)
    compare_parameters(
        model,
        reference,
        f"after one step on {device.type} (run the forward pass and the loss under "
        f'torch.autocast(device_type="{device.type}", dtype={dtype}))',
        f"在 {device.type} 上执行一步之后（前向传播和损失要在 "
        f'torch.autocast(device_type="{device.type}", dtype={dtype}) 中计算）',
        rtol=1e-5,
        atol=1e-6,
    )


@points(1)
def test_cpu_bfloat16_step(submission):
    """On the CPU whatever the grader has: a step under bfloat16 autocast, with an enabled
    GradScaler("cpu"), gives the check's parameters."""
    cpu = torch.device("cpu")
    model, batch = close_target_problem(cpu, seed=2)
    reference = close_target_problem(cpu, seed=2)[0]
    learner_scaler, ref_scaler = scalers("cpu", init_scale=2.0**8)
    reference_step(reference, batch, big_sgd(reference), ref_scaler, NEVER_CLIPS)
    learner_step(submission, model, batch, big_sgd(model), learner_scaler, NEVER_CLIPS)
    compare_parameters(
        model,
        reference,
        'after one step on the CPU (autocast there is torch.autocast("cpu", dtype=torch.bfloat16))',
        '在 CPU 上执行一步之后（CPU 上的 autocast 是 torch.autocast("cpu", dtype=torch.bfloat16)）',
        rtol=1e-5,
        atol=1e-6,
    )


@points(1)
@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
def test_step(submission, device, optimizer):
    """Without clipping (max_norm far above the norm), the parameters take exactly the step of
    scaler.scale(loss).backward(), scaler.step(optimizer), scaler.update() (scale 1024)."""
    model, reference = exact_model(device, 3), exact_model(device, 3)
    batch = exact_batch(device, 3)
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    reference_step(reference, batch, make_optimizer(optimizer, reference), ref_scaler, NEVER_CLIPS)
    learner_step(
        submission, model, batch, make_optimizer(optimizer, model), learner_scaler, NEVER_CLIPS
    )
    compare_parameters(
        model,
        reference,
        "after one step with a GradScaler of scale 1024 (backward on scaler.scale(loss), then "
        "scaler.step(optimizer))",
        "在缩放系数为 1024 的 GradScaler 下执行一步之后（对 scaler.scale(loss) 反向传播，再 scaler.step(optimizer)）",
    )


@points(1.5)
@pytest.mark.parametrize("seed", [4, 5])
def test_unscale_before_clipping(submission, device, seed):
    """max_norm=0.5 with a scale of 1024, on each of two calls that share one scaler: the
    gradients are unscaled (scaler.unscale_) before they are clipped, so the threshold applies to
    the true gradient, not to 1024 times it. Each call gets a fresh exact model and optimizer, so
    that the data stay exact (a clipped step leaves parameters that bfloat16 rounds)."""
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    for call in (1, 2):
        model = exact_model(device, 10 * seed + call)
        reference = exact_model(device, 10 * seed + call)
        batch = exact_batch(device, 10 * seed + call)
        _, norm = reference_step(reference, batch, sgd(reference), ref_scaler, 0.5)
        learner_step(submission, model, batch, sgd(model), learner_scaler, 0.5)
        compare_parameters(
            model,
            reference,
            f"after step {call} with max_norm=0.5 and a scale of 1024 (this gradient's norm is "
            f"{norm:.3g}; call scaler.unscale_(optimizer) before clipping, then clip the total "
            "norm of the gradients to max_norm)",
            f"max_norm=0.5、缩放系数为 1024 时的第 {call} 步之后（这次梯度的范数为 {norm:.3g}；"
            "裁剪之前先调用 scaler.unscale_(optimizer)，再把梯度的总范数裁剪到 max_norm）",
        )


@points(0.5)
def test_default_max_norm(submission, device):
    """amp_train_step(model, batch, optimizer, loss_fn, scaler) clips to max_norm=1.0, on each of
    two calls that share one scaler (a fresh exact model and optimizer each)."""
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    for call in (1, 2):
        model, reference = exact_model(device, call - 1), exact_model(device, call - 1)
        batch = exact_batch(device, call - 1)
        _, norm = reference_step(reference, batch, sgd(reference), ref_scaler, 1.0)
        learner_step(submission, model, batch, sgd(model), learner_scaler)
        compare_parameters(
            model,
            reference,
            f"after step {call} called without max_norm (the default is max_norm=1.0; this "
            f"gradient's norm is {norm:.3g})",
            f"不传 max_norm 调用的第 {call} 步之后（默认值为 max_norm=1.0；这次梯度的范数为 {norm:.3g}）",
        )


@points(1)
def test_skips_overflow(submission, device):
    """A scale of 2**127 makes the scaled loss overflow: scaler.step skips the optimizer step
    (the parameters and the momentum stay as they were). The next call, with the same model and
    optimizer and a fresh scaler of scale 1024, takes a normal step. (The second call has its own
    scaler so that this check does not depend on update(), test_scale_updated's business: with
    float16 the old scale would overflow any batch, with bfloat16 not this one.)"""
    model, reference = exact_model(device, 6), exact_model(device, 6)
    learner_opt, ref_opt = sgd(model), sgd(reference)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    for call, scale in enumerate((10.0, 1.0), start=1):
        options = {"init_scale": 2.0**127} if call == 1 else {"init_scale": 2.0**10}
        learner_scaler, ref_scaler = scalers(device.type, **options)
        batch = exact_batch(device, 6 + call, scale=scale)
        reference_step(reference, batch, ref_opt, ref_scaler, NEVER_CLIPS)
        learner_step(submission, model, batch, learner_opt, learner_scaler, NEVER_CLIPS)
        if call == 1:
            for name, p in model.named_parameters():
                if not torch.equal(p.detach(), before[name]):
                    fail(
                        en=f"with a scale of 2**127 the scaled loss overflows, so the step must be "
                        f"skipped, but parameter {name} changed (step through scaler.step(optimizer), "
                        "which skips a step whose gradients hold inf or NaN; not optimizer.step())",
                        zh=f"缩放系数为 2**127 时缩放后的损失溢出，这一步必须跳过，但参数 {name} 变了"
                        "（要通过 scaler.step(optimizer) 更新：梯度含 inf 或 NaN 时它会跳过这一步；不要直接调用 optimizer.step()）",
                    )
        compare_parameters(
            model,
            reference,
            "after an overflowing step (skipped) and a normal one"
            if call == 2
            else "after a step whose scaled loss overflowed (it must be skipped)",
            "在一次溢出（被跳过）的训练步和一次正常训练步之后"
            if call == 2
            else "在缩放后损失溢出的训练步之后（这一步必须跳过）",
        )


@points(1)
def test_scale_updated(submission, device):
    """scaler.update() runs once per call: with growth_interval=1 the scale doubles after each
    step whose gradients are finite and is multiplied by backoff_factor after an overflow. The
    scale is read back after every call, and its effect is seen in the parameters too: the second
    call's batch overflows at the first scale (2**126) but not at the backed-off one (64), so
    that step is taken only if update() ran after the first call."""
    model, reference = exact_model(device, 8), exact_model(device, 8)
    learner_opt, ref_opt = sgd(model), sgd(reference)
    options = {"init_scale": 2.0**126, "growth_interval": 1, "backoff_factor": 2.0**-120}
    learner_scaler, ref_scaler = scalers(device.type, **options)
    for call, scale in enumerate((10.0, 10.0, 1.0), start=1):
        batch = exact_batch(device, 20 + call, scale=scale)
        before = ref_scaler.get_scale()
        ref_before = [p.detach().clone() for p in reference.parameters()]
        learner_before = [p.detach().clone() for p in model.parameters()]
        reference_step(reference, batch, ref_opt, ref_scaler, NEVER_CLIPS)
        learner_step(submission, model, batch, learner_opt, learner_scaler, NEVER_CLIPS)
        want, got = ref_scaler.get_scale(), learner_scaler.get_scale()
        if type(got) is not float or got != want:
            fail(
                en=f"after call {call} the scaler's scale should be {scale_text(want)} (it was "
                f"{scale_text(before)}), got {scale_text(got)}: call scaler.update() once after "
                "scaler.step, and zero the gradients before the backward (inf gradients left by a "
                "skipped step overflow the next one too)",
                zh=f"第 {call} 次调用之后 scaler 的缩放系数应为 {scale_text(want)}（之前为 "
                f"{scale_text(before)}），实际为 {scale_text(got)}：在 scaler.step 之后调用一次 "
                "scaler.update()，并在反向传播之前清零梯度（被跳过的那一步留下的 inf 梯度会让下一步也溢出）",
            )
        skipped = all(
            torch.equal(a, p.detach()) for a, p in zip(ref_before, reference.parameters())
        )
        moved = not all(
            torch.equal(a, p.detach()) for a, p in zip(learner_before, model.parameters())
        )
        if moved == skipped:
            fail(
                en=f"at call {call} the scale should be {scale_text(before)}, so the step should "
                + ("be skipped (its scaled gradients overflow)" if skipped else "be taken")
                + ", but the parameters "
                + ("changed" if skipped else "did not change (was the scale never lowered?)")
                + "; step through scaler.step(optimizer), then call scaler.update() once",
                zh=f"第 {call} 次调用时缩放系数应为 {scale_text(before)}，所以这一步应当"
                + ("跳过（缩放后的梯度溢出）" if skipped else "更新参数")
                + "，但参数"
                + ("变了" if skipped else "没有变（缩放系数是不是一直没有调小？）")
                + "；要通过 scaler.step(optimizer) 更新，然后调用一次 scaler.update()",
            )


@points(1)
@pytest.mark.parametrize("case", ["normal", "overflow"])
def test_returns_loss(submission, device, case):
    """The step returns this step's unscaled loss (computed before the update) as a Python float,
    on a skipped step too."""
    model, reference = exact_model(device, 9), exact_model(device, 9)
    init_scale = 2.0**127 if case == "overflow" else 2.0**10
    batch = exact_batch(device, 9, scale=10.0 if case == "overflow" else 1.0)
    learner_scaler, ref_scaler = scalers(device.type, init_scale=init_scale)
    want, _ = reference_step(reference, batch, sgd(reference), ref_scaler, NEVER_CLIPS)
    got = learner_step(submission, model, batch, sgd(model), learner_scaler, NEVER_CLIPS)
    if type(got) is not float:
        fail(
            en=f"amp_train_step should return a Python float, got {type_name(got)} (use loss.item())",
            zh=f"amp_train_step 应返回 Python float，实际为 {type_name(got)}（用 loss.item()）",
        )
    what = "with a scale that overflows" if case == "overflow" else "with a scale of 1024"
    what_zh = "缩放系数导致溢出时" if case == "overflow" else "缩放系数为 1024 时"
    expect(
        math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9),
        en=f"{what}, amp_train_step returned {got:.6g}; this step's loss is {want:.6g} (return "
        "loss.item(), not the scaled loss)",
        zh=f"{what_zh}，amp_train_step 返回 {got:.6g}；这一步的损失为 {want:.6g}（应返回 loss.item()，而不是缩放后的损失）",
    )


@points(0.5)
def test_zeroes_gradients(submission, device):
    """Every call starts from zero gradients: the first with stale ones the caller left in .grad,
    the second with those the first step left behind."""
    model, reference = exact_model(device, 10), exact_model(device, 10)
    learner_opt, ref_opt = sgd(model), sgd(reference)
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)
    for call in (1, 2):
        batch = exact_batch(device, 9 + call)
        reference_step(reference, batch, ref_opt, ref_scaler, NEVER_CLIPS)
        learner_step(submission, model, batch, learner_opt, learner_scaler, NEVER_CLIPS)
        compare_parameters(
            model,
            reference,
            "after the first call, when the caller had left stale gradients in .grad (zero them "
            "before the backward)"
            if call == 1
            else "after the second call (zero the gradients of the previous step before the "
            "backward, on every call)",
            "第一次调用之后：调用者在 .grad 中留下了旧梯度（反向传播之前清零）"
            if call == 1
            else "第二次调用之后（每次调用都要在反向传播之前清零上一步留下的梯度）",
        )


@points(0.5)
def test_uses_loss_fn(submission, device):
    """The step uses the loss_fn it is given (here nn.L1Loss, not MSE): the parameters equal the
    check's step with that loss (the returned value is test_returns_loss's business)."""
    model, reference = exact_model(device, 11), exact_model(device, 11)
    batch = exact_batch(device, 11)
    learner_scaler, ref_scaler = scalers(device.type, init_scale=2.0**10)
    reference_step(reference, batch, sgd(reference), ref_scaler, NEVER_CLIPS, loss_fn=nn.L1Loss())
    learner_step(
        submission, model, batch, sgd(model), learner_scaler, NEVER_CLIPS, loss_fn=nn.L1Loss()
    )
    compare_parameters(
        model,
        reference,
        "after one step with loss_fn=nn.L1Loss() (use the loss_fn given)",
        "loss_fn=nn.L1Loss() 时执行一步之后（要使用传入的 loss_fn）",
    )
