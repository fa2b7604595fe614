"""Hidden checks for backward-linear: a custom autograd Function for a linear layer.

Gradients are checked by calling ``LinearFunction.backward`` directly with the real context (the
``grad_fn`` node that ``apply`` created): through the autograd engine a wrongly shaped gradient is
silently summed to the input's shape and a wrong dtype silently cast, which the contract forbids.

The learner's code runs in the executor; the check sends copies of its tensors and computes every
reference on its own copies before the call. The statement's rule that backward must not call
torch.autograd.grad / .backward() is not graded here: only the executor could observe it, so it
is checked, unscored, in test_public.py (its points went to test_grad_dtype).
"""

from __future__ import annotations

import pytest
import torch

from grader.checks import assert_close, assert_tensor, expect, fail, gradcheck64, points

# id -> (input shape (N, *, in_features), out_features)
SHAPES = {
    "2d": ((4, 3), 2),
    "3d": ((2, 5, 3), 4),
    "4d": ((2, 3, 2, 4), 3),
    "square": ((3, 4), 4),
}


def make_inputs(shape, out_features, device, dtype=torch.float64, bias=True, contiguous=True):
    """Fixed-seed input, weight and bias; a non-contiguous input is a transposed view."""
    torch.manual_seed(sum(shape) * 31 + out_features)
    in_features = shape[-1]
    if contiguous:
        x = torch.randn(shape, dtype=dtype, device=device)
    else:
        swapped = (*shape[:-2], shape[-1], shape[-2])
        x = torch.randn(swapped, dtype=dtype, device=device).transpose(-1, -2)
    w = torch.randn(out_features, in_features, dtype=dtype, device=device)
    b = torch.randn(out_features, dtype=dtype, device=device) if bias else None
    return x, w, b


def reference_grads(x, w, g):
    """Plain-arithmetic gradients of ``x @ w.T + b`` for upstream gradient ``g``."""
    x2 = x.reshape(-1, x.shape[-1])
    g2 = g.reshape(-1, g.shape[-1])
    return g @ w, g2.T @ x2, g2.sum(0)


def apply(submission, x, w, b):
    if b is None:
        return submission.LinearFunction.apply(x, w)
    return submission.LinearFunction.apply(x, w, b)


def call_backward(submission, x, w, b, g):
    """Run forward through ``apply`` and call ``backward`` directly on its real context."""
    y = apply(submission, x, w, b)
    ctx = getattr(y, "grad_fn", None)
    if ctx is None:
        fail(
            en="LinearFunction.apply returned a tensor that is not attached to the autograd graph "
            "(did forward return something other than the output tensor?)",
            zh="LinearFunction.apply 返回的张量没有连到计算图上（forward 返回的是不是输出张量？）",
        )
    with torch.no_grad():  # the engine runs backward with grad mode off
        grads = submission.LinearFunction.backward(ctx, g)
    if type(grads) not in (tuple, list):
        fail(
            en=f"backward should return a tuple (grad_input, grad_weight, grad_bias), "
            f"got {type(grads).__name__}",
            zh=f"backward 应当返回元组 (grad_input, grad_weight, grad_bias)，实际返回 {type(grads).__name__}",
        )
    n_inputs = 2 if b is None else 3
    if not n_inputs <= len(grads) <= 3 or any(extra is not None for extra in grads[n_inputs:]):
        fail(
            en=f"backward should return 3 values (grad_input, grad_weight, grad_bias; grad_bias None "
            f"without a bias), got {len(grads)}",
            zh=f"backward 应当返回 3 个值 (grad_input, grad_weight, grad_bias；没有 bias 时 grad_bias "
            f"为 None)，实际返回 {len(grads)} 个",
        )
    return tuple(grads) + (None,) * (3 - len(grads))


NAMES = ("grad_input", "grad_weight", "grad_bias")


def check_grad(got, expected, index, device, x, w):
    """One gradient returned by backward: exact type, shape, dtype, device, then values."""
    shapes = f"input {tuple(x.shape)}, weight {tuple(w.shape)}"
    en = f"{NAMES[index]} (for {shapes})"
    zh = f"{NAMES[index]}（{shapes}）"
    assert_tensor(
        got,
        shape=tuple(expected.shape),
        dtype=expected.dtype,
        device=device,
        what_en=en,
        what_zh=zh,
    )
    assert_close(got, expected, rtol=1e-6, atol=1e-9, what_en=en, what_zh=zh)


# id -> (shape id, dtype, with bias, contiguous input)
FORWARD_CASES = {
    "2d": ("2d", torch.float64, True, True),
    "3d": ("3d", torch.float64, True, True),
    "4d": ("4d", torch.float64, True, True),
    "float32": ("2d", torch.float32, True, True),
    "no_bias": ("3d", torch.float64, False, True),
    "non_contiguous": ("3d", torch.float64, True, False),
}


@points(1.5)
@pytest.mark.parametrize("case", list(FORWARD_CASES))
def test_forward(submission, device, case):
    """Forward returns input @ weight.T (+ bias): exact type, shape, dtype, device and values."""
    shape_id, dtype, bias, contiguous = FORWARD_CASES[case]
    x, w, b = make_inputs(*SHAPES[shape_id], device, dtype=dtype, bias=bias, contiguous=contiguous)
    expected = x @ w.T + (b if b is not None else 0)
    y = apply(submission, x, w, b)
    assert_tensor(y, device=device, what_en="forward's output", what_zh="forward 的输出")
    assert_close(
        y, expected, rtol=1e-5, atol=1e-6, what_en="forward's output", what_zh="forward 的输出"
    )


@points(1.5)
@pytest.mark.parametrize("case", ["2d", "3d", "square"])
def test_grad_input(submission, device, case):
    """grad_input = grad_output @ weight, shape of the input (also when weight is square)."""
    x, w, b = make_inputs(*SHAPES[case], device)
    x.requires_grad_()
    w.requires_grad_()
    b.requires_grad_()
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=x.dtype, device=device)
    expected = reference_grads(x.detach(), w.detach(), g)[0]
    grads = call_backward(submission, x, w, b, g)
    check_grad(grads[0], expected, 0, device, x, w)


@points(1.5)
@pytest.mark.parametrize("case", ["2d", "3d", "4d", "square"])
def test_grad_weight(submission, device, case):
    """grad_weight has weight's shape (out, in): summed over every leading dim of the input."""
    x, w, b = make_inputs(*SHAPES[case], device)
    for t in (x, w, b):
        t.requires_grad_()
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=x.dtype, device=device)
    expected = reference_grads(x.detach(), w.detach(), g)[1]
    grads = call_backward(submission, x, w, b, g)
    check_grad(grads[1], expected, 1, device, x, w)


@points(1.5)
@pytest.mark.parametrize("case", ["2d", "3d", "4d"])
def test_grad_bias(submission, device, case):
    """grad_bias has bias's shape (out,): summed over every dim but the last."""
    x, w, b = make_inputs(*SHAPES[case], device)
    for t in (x, w, b):
        t.requires_grad_()
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=x.dtype, device=device)
    expected = reference_grads(x.detach(), w.detach(), g)[2]
    grads = call_backward(submission, x, w, b, g)
    check_grad(grads[2], expected, 2, device, x, w)


@points(1)
@pytest.mark.parametrize("case", ["2d", "3d"])
def test_non_contiguous(submission, device, case):
    """All three gradients are right for a non-contiguous input and a non-contiguous grad_output."""
    x, w, b = make_inputs(*SHAPES[case], device, contiguous=False)
    for t in (x, w, b):
        t.requires_grad_()
    lead = x.shape[:-1]
    g = torch.randn(*lead[:-1], w.shape[0], lead[-1], dtype=x.dtype, device=device).transpose(
        -1, -2
    )
    expect(
        not x.is_contiguous() and not g.is_contiguous(),
        en="internal: inputs are contiguous",
        zh="内部错误：输入是连续的",
    )
    ref = reference_grads(x.detach(), w.detach(), g)
    grads = call_backward(submission, x, w, b, g)
    for i, expected in enumerate(ref):
        check_grad(grads[i], expected, i, device, x, w)


@points(1.5)
@pytest.mark.parametrize("case", ["2d", "3d", "no_bias"])
def test_gradcheck(submission, device, case):
    """Through the autograd engine, gradients match numerical gradients (float64 gradcheck)."""
    shape, out = SHAPES["3d" if case == "3d" else "2d"]
    x, w, b = make_inputs(shape, out, device, bias=case != "no_bias")
    inputs = (x, w) if b is None else (x, w, b)
    for t in inputs:
        t.requires_grad_()
    gradcheck64(submission.LinearFunction.apply, inputs, what="LinearFunction")


@points(1)
@pytest.mark.parametrize("case", ["2d", "3d"])
def test_no_bias(submission, device, case):
    """apply(x, w) without a bias works: grad_bias None, the direct gradients and, through the
    engine, x.grad and w.grad right (its output is test_forward's business)."""
    x, w, _ = make_inputs(*SHAPES[case], device, bias=False)
    x.requires_grad_()
    w.requires_grad_()
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=x.dtype, device=device)
    ref = reference_grads(x.detach(), w.detach(), g)
    gi, gw, gb = call_backward(submission, x, w, None, g)
    expect(
        gb is None,
        en=f"without a bias, grad_bias should be None, got {type(gb).__name__}",
        zh=f"没有 bias 时 grad_bias 应为 None，实际为 {type(gb).__name__}",
    )
    check_grad(gi, ref[0], 0, device, x, w)
    check_grad(gw, ref[1], 1, device, x, w)
    y = submission.LinearFunction.apply(x, w)
    (y * g).sum().backward()
    assert_close(x.grad, ref[0], rtol=1e-6, atol=1e-9, what_en="x.grad", what_zh="x.grad")
    assert_close(w.grad, ref[1], rtol=1e-6, atol=1e-9, what_en="w.grad", what_zh="w.grad")


@points(1)
@pytest.mark.parametrize("needs", ["input", "weight", "bias", "input+bias"])
def test_needs_input_grad(submission, device, needs):
    """Every gradient that ctx.needs_input_grad asks for is returned and right (the others may be
    None; they are not looked at)."""
    x, w, b = make_inputs(*SHAPES["3d"], device)
    wanted = [name in needs.split("+") for name in ("input", "weight", "bias")]
    for t, flag in zip((x, w, b), wanted):
        t.requires_grad_(flag)
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=x.dtype, device=device)
    ref = reference_grads(x.detach(), w.detach(), g)
    grads = call_backward(submission, x, w, b, g)
    for i, flag in enumerate(wanted):
        if flag and grads[i] is None:
            fail(
                en=f"ctx.needs_input_grad is {tuple(wanted)}, but backward returned None for {NAMES[i]} "
                f"(check which index of needs_input_grad belongs to which input)",
                zh=f"ctx.needs_input_grad 为 {tuple(wanted)}，但 backward 对 {NAMES[i]} 返回了 None"
                f"（检查 needs_input_grad 的下标与输入的对应关系）",
            )
        if flag:
            check_grad(grads[i], ref[i], i, device, x, w)


# id -> dtype of input, weight and bias (a 2-D input and a square weight, so that a transposed or
# 2-D-only formula does not make this check fail as well: it is about dtypes and devices only)
GRAD_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


@points(1.5)
@pytest.mark.parametrize("case", list(GRAD_DTYPES))
def test_grad_dtype(submission, device, case):
    """Every gradient backward returns has the dtype and device of its input, also for float32 and
    bfloat16 inputs (the other checks use float64); shapes and values are other checks' business."""
    dtype = GRAD_DTYPES[case]
    x, w, b = make_inputs(*SHAPES["square"], device, dtype=dtype)
    for t in (x, w, b):
        t.requires_grad_()
    g = torch.randn(*x.shape[:-1], w.shape[0], dtype=dtype, device=device)
    grads = call_backward(submission, x, w, b, g)
    for i, name in enumerate(NAMES):
        assert_tensor(
            grads[i],
            dtype=dtype,
            device=device,
            what_en=f"{name} for {dtype} inputs (every input needs a gradient here)",
            what_zh=f"{dtype} 输入的 {name}（这里每个输入都需要梯度）",
        )
