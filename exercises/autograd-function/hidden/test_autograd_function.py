"""Hidden checks for autograd-function: SoftplusFunction, a softplus with beta, threshold and a
hand-written backward, and softplus(x, beta=1.0, threshold=20.0).

References are computed here, in float64 on the CPU, from the check's own copies and before the
learner's code is called: torch's F.softplus and its autograd gradient where F.softplus is
finite, and the stable closed form (logaddexp, sigmoid) where F.softplus itself overflows.
Gradients are read by calling SoftplusFunction.backward directly with the real context (the
grad_fn node that apply made), so a wrong number of return values, a wrong shape or dtype is
seen as it is instead of being fixed up by the autograd engine. Each requirement of the
statement has its own check: the smooth part, the linear part, the exact boundary, the
defaults, stability of the forward and of the gradient, dtypes, what backward returns.

Not graded here: that forward keeps its tensors with ctx.save_for_backward. Only the executor
can report what the context holds, so test_public.py gives that feedback, unscored. The deny:
list (F.softplus and its disguises, torch.autograd.grad, .backward()) is enforced by the judge
before any check runs.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_tensor, expect, fail, gradcheck64, points

RTOL64 = 1e-10
"""float64 results: a stable formula and F.softplus agree to ~1e-16; tight enough that the
defaults (threshold 20, where softplus(x) - x is 2e-9) are seen."""
ATOL64 = 1e-12
RTOL32 = 1e-5
ATOL32 = 1e-6


def tolerances(dtype: torch.dtype) -> dict[str, float]:
    if dtype == torch.float64:
        return {"rtol": RTOL64, "atol": ATOL64}
    return {"rtol": RTOL32, "atol": ATOL32}


def make_input(seed: int, shape, scale: float, dtype=torch.float64) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(dtype)


def reference(x: torch.Tensor, beta: float, threshold: float, g: torch.Tensor | None = None):
    """F.softplus of a float64 CPU copy of x, and (with g) the gradient autograd gives for the
    upstream gradient g: the check's own computation."""
    x64 = x.detach().to("cpu", torch.float64).requires_grad_(True)
    y = F.softplus(x64, beta=beta, threshold=threshold)
    if g is None:
        return y.detach()
    (grad,) = torch.autograd.grad(y, x64, g.detach().to("cpu", torch.float64))
    return y.detach(), grad


def stable_reference(x: torch.Tensor, beta: float, threshold: float):
    """The closed form where F.softplus overflows: logaddexp(z, 0) / beta and sigmoid(z)."""
    x64 = x.detach().to("cpu", torch.float64)
    z = x64 * beta
    linear = z > threshold
    y = torch.where(linear, x64, torch.logaddexp(z, torch.zeros_like(z)) / beta)
    slope = torch.where(linear, torch.ones_like(z), torch.sigmoid(z))
    return y, slope


def apply(submission, x, beta, threshold):
    return submission.SoftplusFunction.apply(x, beta, threshold)


def call_backward(submission, x, beta, threshold, g):
    """Forward through apply, then SoftplusFunction.backward called directly on its context.
    Returns grad_x after checking that backward returned (grad_x, None, None)."""
    y = apply(submission, x, beta, threshold)
    ctx = getattr(y, "grad_fn", None)
    if ctx is None:
        fail(
            en="SoftplusFunction.apply returned a tensor that is not attached to the autograd "
            "graph (did forward return something other than the output tensor?)",
            zh="SoftplusFunction.apply 返回的张量没有连到计算图上（forward 返回的是不是输出张量？）",
        )
    with torch.no_grad():  # the engine runs backward with grad mode off
        grads = submission.SoftplusFunction.backward(ctx, g)
    if type(grads) not in (tuple, list) or len(grads) != 3:
        got = f"{len(grads)} values" if type(grads) in (tuple, list) else type(grads).__name__
        fail(
            en=f"backward should return three values (grad_x, None, None), one per input of "
            f"forward, got {got}",
            zh=f"backward 应当返回三个值 (grad_x, None, None)，forward 的每个输入一个，实际返回 {got}",
        )
    return grads[0], grads


def grad_output(seed: int, shape, dtype=torch.float64) -> torch.Tensor:
    """An upstream gradient that is not all ones (a backward that ignores it is seen)."""
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 + 0.5).to(dtype)


# id -> (shape, beta, threshold, scale of x): |beta * x| stays well below the threshold
SMOOTH = {
    "vector_beta1": ((7,), 1.0, 20.0, 3.0),
    "matrix_beta2": ((4, 5), 2.0, 20.0, 2.0),
    "batch_beta_half": ((2, 3, 4), 0.5, 20.0, 6.0),
    "scalar_beta3": ((), 3.0, 20.0, 1.0),
}


@points(1)
@pytest.mark.parametrize("case", list(SMOOTH))
def test_forward_smooth(submission, device, case):
    """forward's values on the smooth part (beta * x <= threshold), float64, for several shapes
    and betas, compared with F.softplus."""
    shape, beta, threshold, scale = SMOOTH[case]
    x = make_input(len(case), shape, scale).to(device)
    expected = reference(x, beta, threshold)
    what_en = f"SoftplusFunction.apply(x, {beta}, {threshold}) for x of shape {shape}"
    what_zh = f"形状为 {shape} 的 x 的 SoftplusFunction.apply(x, {beta}, {threshold})"
    out = apply(submission, x, beta, threshold)
    assert_tensor(out, shape=shape, what_en=what_en, what_zh=what_zh)
    assert_close(out, expected, rtol=RTOL64, atol=ATOL64, what_en=what_en, what_zh=what_zh)


# id -> (beta, threshold); x spans both sides of threshold / beta, never within 0.05 of it
LINEAR = {
    "beta2_threshold1": (2.0, 1.0),
    "beta_half_threshold2": (0.5, 2.0),
    "beta1_threshold0": (1.0, 0.0),
    "beta3_threshold_negative": (3.0, -1.5),
}


def straddling_input(seed: int, beta: float, threshold: float) -> torch.Tensor:
    """Values on both sides of the kink x = threshold / beta, none closer than 0.05 to it."""
    kink = threshold / beta
    offsets = make_input(seed, (3, 4), 1.5).abs() + 0.05
    signs = torch.tensor([1.0, -1.0], dtype=torch.float64).repeat(6).reshape(3, 4)
    return kink + signs * offsets


@points(1)
@pytest.mark.parametrize("case", list(LINEAR))
def test_forward_linear_part(submission, device, case):
    """Where beta * x > threshold, the output is x itself (the threshold is compared with
    beta * x, not x; thresholds of 0 and below included)."""
    beta, threshold = LINEAR[case]
    x = straddling_input(len(case), beta, threshold).to(device)
    expected = reference(x, beta, threshold)
    what_en = f"SoftplusFunction.apply(x, {beta}, {threshold}) for x = {x.cpu().tolist()}"
    what_zh = f"x = {x.cpu().tolist()} 时的 SoftplusFunction.apply(x, {beta}, {threshold})"
    out = apply(submission, x, beta, threshold)
    assert_close(out, expected, rtol=RTOL64, atol=ATOL64, what_en=what_en, what_zh=what_zh)


# (beta, threshold, x) with beta * x == threshold exactly (every value a binary fraction)
BOUNDARY = [(2.0, 1.0, 0.5), (0.5, 2.0, 4.0), (1.0, 0.0, 0.0), (4.0, 3.0, 0.75)]


@points(0.5)
def test_threshold_boundary(submission, device):
    """At beta * x == threshold exactly the smooth formula applies (the linear part needs
    beta * x > threshold, strictly), in forward and in backward."""
    for beta, threshold, value in BOUNDARY:
        x = torch.tensor([value], dtype=torch.float64, device=device, requires_grad=True)
        g = torch.tensor([1.5], dtype=torch.float64, device=device)
        y_ref, grad_ref = reference(x, beta, threshold, g)
        what_en = f"softplus at x = {value}, beta = {beta}, threshold = {threshold}"
        what_zh = f"x = {value}、beta = {beta}、threshold = {threshold} 处的 softplus"
        y = apply(submission, x, beta, threshold)
        assert_close(y, y_ref, rtol=RTOL64, atol=ATOL64, what_en=what_en, what_zh=what_zh)
        grad_x, _ = call_backward(submission, x, beta, threshold, g)
        assert_close(
            grad_x,
            grad_ref,
            rtol=RTOL64,
            atol=ATOL64,
            what_en=f"grad_x of the {what_en} (beta * x == threshold)",
            what_zh=f"{what_zh}的 grad_x（beta * x == threshold）",
        )


# id -> (x values, call as keyword arguments, expected beta, expected threshold)
DEFAULTS = {
    "no_arguments": ({}, 1.0, 20.0),
    "beta_only": ({"beta": 2.0}, 2.0, 20.0),
    "threshold_only": ({"threshold": 5.0}, 1.0, 5.0),
}


@points(1.5)
@pytest.mark.parametrize("case", list(DEFAULTS))
def test_softplus_defaults(submission, device, case):
    """softplus(x) uses beta=1.0 and threshold=20.0, each overridable by keyword: values near
    and beyond the default threshold, where softplus(x) and x differ by less than 1e-5."""
    kwargs, beta, threshold = DEFAULTS[case]
    x = torch.tensor(
        [-4.0, -0.5, 0.0, 1.5, 3.0, 4.5, 6.0, 8.5, 9.5, 11.0, 12.5, 15.0, 17.5, 19.0, 21.0, 24.0],
        dtype=torch.float64,
        device=device,
    )
    expected = reference(x, beta, threshold)
    shown = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    call = f"softplus(x{', ' + shown if shown else ''})"
    out = submission.softplus(x, **kwargs)
    assert_close(
        out,
        expected,
        rtol=1e-12,
        atol=1e-14,
        what_en=f"{call}, which means beta={beta}, threshold={threshold}",
        what_zh=f"{call}（即 beta={beta}、threshold={threshold}）",
    )


GRADS = {
    "vector_beta1": ((6,), 1.0, 20.0, 3.0),
    "matrix_beta2": ((3, 4), 2.0, 20.0, 2.0),
    "batch_beta_half": ((2, 2, 3), 0.5, 20.0, 6.0),
}


@points(1.5)
@pytest.mark.parametrize("case", list(GRADS))
def test_grad_smooth(submission, device, case):
    """backward's grad_x on the smooth part equals autograd's gradient of F.softplus for an
    upstream gradient that is not all ones: grad_output * sigmoid(beta * x)."""
    shape, beta, threshold, scale = GRADS[case]
    x = make_input(len(case) + 40, shape, scale).to(device).requires_grad_(True)
    g = grad_output(len(case) + 50, shape).to(device)
    _, expected = reference(x, beta, threshold, g)
    grad_x, _ = call_backward(submission, x, beta, threshold, g)
    what_en = f"grad_x for x of shape {shape}, beta = {beta}"
    what_zh = f"形状为 {shape}、beta = {beta} 的 x 的 grad_x"
    assert_tensor(grad_x, shape=shape, device=device, what_en=what_en, what_zh=what_zh)
    assert_close(grad_x, expected, rtol=RTOL64, atol=ATOL64, what_en=what_en, what_zh=what_zh)


@points(1)
@pytest.mark.parametrize("case", list(LINEAR))
def test_grad_linear_part(submission, device, case):
    """On the linear part (beta * x > threshold) grad_x is grad_output itself; on the smooth
    part beside it, grad_output * sigmoid(beta * x)."""
    beta, threshold = LINEAR[case]
    x = straddling_input(len(case), beta, threshold).to(device).requires_grad_(True)
    g = grad_output(len(case) + 60, tuple(x.shape)).to(device)
    _, expected = reference(x, beta, threshold, g)
    grad_x, _ = call_backward(submission, x, beta, threshold, g)
    assert_close(
        grad_x,
        expected,
        rtol=RTOL64,
        atol=ATOL64,
        what_en=f"grad_x for beta = {beta}, threshold = {threshold}, x = {x.detach().cpu().tolist()}",
        what_zh=f"beta = {beta}、threshold = {threshold}、x = {x.detach().cpu().tolist()} 时的 grad_x",
    )


@points(0.5)
def test_backward_returns_none_for_numbers(submission, device):
    """backward returns exactly (grad_x, None, None): beta and threshold are numbers, which
    get None."""
    x = make_input(70, (2, 3), 2.0).to(device).requires_grad_(True)
    g = grad_output(71, (2, 3)).to(device)
    _, grads = call_backward(submission, x, 1.5, 20.0, g)
    for index, name in ((1, "beta"), (2, "threshold")):
        got = grads[index]
        expect(
            got is None,
            en=f"backward's value #{index} belongs to {name}, a number: it should be None, "
            f"got {type(got).__name__}",
            zh=f"backward 的第 {index} 个返回值对应数字 {name}，应为 None，实际为 {type(got).__name__}",
        )


# id -> (beta, threshold, x scale); gradcheck's finite differences stay away from the kink
GRADCHECK = {
    "smooth": (1.0, 20.0, 3.0),
    "beta2_with_linear_part": (2.0, 1.0, None),
}


@points(0.5)
@pytest.mark.parametrize("case", list(GRADCHECK))
def test_gradcheck(submission, device, case):
    """Through the autograd engine, gradients match numerical gradients (float64 gradcheck)."""
    beta, threshold, scale = GRADCHECK[case]
    if scale is None:
        x = straddling_input(80, beta, threshold)
    else:
        x = make_input(81, (3, 4), scale)
    x = x.to(device).requires_grad_(True)
    gradcheck64(
        lambda t: submission.SoftplusFunction.apply(t, beta, threshold),
        (x,),
        what=f"SoftplusFunction.apply(x, {beta}, {threshold})",
    )


# id -> (dtype, beta, threshold, values): where beta * x is large, threshold is larger still
EXTREME = {
    "float32_threshold_1e4": (
        torch.float32,
        1.0,
        1e4,
        [-500.0, -100.0, -20.0, 0.0, 20.0, 88.0, 89.0, 100.0, 500.0, 5000.0],
    ),
    "float32_beta4": (torch.float32, 4.0, 1e4, [-200.0, -30.0, 23.0, 25.0, 60.0, 1000.0]),
    "float64_threshold_inf": (
        torch.float64,
        1.0,
        math.inf,
        [-1000.0, -50.0, 0.0, 50.0, 709.0, 710.0, 1000.0, 1e5],
    ),
    "float64_beta2": (torch.float64, 2.0, 1e6, [-400.0, 360.0, 400.0, 1e4]),
}


@points(1)
@pytest.mark.parametrize("case", list(EXTREME))
def test_stable_forward(submission, device, case):
    """Large beta * x with a larger threshold: the result is finite and right (log(1 + exp(z))
    must not be computed as written, exp(z) overflows)."""
    dtype, beta, threshold, values = EXTREME[case]
    x = torch.tensor(values, dtype=dtype, device=device)
    expected, _ = stable_reference(x, beta, threshold)
    what_en = f"SoftplusFunction.apply(x, {beta}, {threshold}) for {dtype} x = {values}"
    what_zh = f"{dtype} x = {values} 时的 SoftplusFunction.apply(x, {beta}, {threshold})"
    out = apply(submission, x, beta, threshold)
    got = assert_tensor(out, shape=(len(values),), what_en=what_en, what_zh=what_zh)
    finite = got.detach().cpu().isfinite()
    if not bool(finite.all()):
        bad = [values[i] for i in range(len(values)) if not bool(finite[i])]
        fail(
            en=f"{what_en}: not finite at x = {bad}",
            zh=f"{what_zh}：在 x = {bad} 处不是有限值",
        )
    assert_close(
        got.detach().cpu().double(),
        expected,
        **tolerances(dtype),
        what_en=what_en,
        what_zh=what_zh,
    )


@points(1)
@pytest.mark.parametrize("case", list(EXTREME))
def test_stable_grad(submission, device, case):
    """grad_x for the same large inputs is finite and right: grad_output * sigmoid(beta * x),
    which is grad_output where beta * x is large and 0 where it is very negative
    (exp(z) / (1 + exp(z)) is inf / inf = nan there)."""
    dtype, beta, threshold, values = EXTREME[case]
    x = torch.tensor(values, dtype=dtype, device=device, requires_grad=True)
    g = grad_output(90 + len(case), (len(values),), dtype).to(device)
    _, slope = stable_reference(x, beta, threshold)
    expected = g.detach().cpu().double() * slope
    what_en = f"grad_x for {dtype} x = {values}, beta = {beta}, threshold = {threshold}"
    what_zh = f"{dtype} x = {values}、beta = {beta}、threshold = {threshold} 时的 grad_x"
    grad_x, _ = call_backward(submission, x, beta, threshold, g)
    got = assert_tensor(grad_x, shape=(len(values),), what_en=what_en, what_zh=what_zh)
    assert_close(
        got.detach().cpu().double(),
        expected,
        **tolerances(dtype),
        what_en=what_en,
        what_zh=what_zh,
    )


DTYPES = {"float32": torch.float32, "float64": torch.float64}


@points(0.5)
@pytest.mark.parametrize("case", list(DTYPES))
def test_dtypes(submission, device, case):
    """The output and grad_x have the dtype, shape and device of x (float32 and float64)."""
    dtype = DTYPES[case]
    x = make_input(100, (3, 2), 2.0, dtype).to(device).requires_grad_(True)
    g = grad_output(101, (3, 2), dtype).to(device)
    out = apply(submission, x, 1.0, 20.0)
    assert_tensor(
        out,
        shape=(3, 2),
        dtype=dtype,
        device=device,
        what_en=f"SoftplusFunction.apply of a {case} x",
        what_zh=f"{case} x 的 SoftplusFunction.apply",
    )
    grad_x, _ = call_backward(submission, x, 1.0, 20.0, g)
    assert_tensor(
        grad_x,
        shape=(3, 2),
        dtype=dtype,
        device=device,
        what_en=f"grad_x of a {case} x",
        what_zh=f"{case} x 的 grad_x",
    )
