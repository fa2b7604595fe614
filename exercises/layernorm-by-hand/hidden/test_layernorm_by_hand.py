"""Hidden checks for layernorm-by-hand: LayerNormFunction (forward and a hand-written
backward), layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5) and the module
LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True).

References are F.layer_norm of the check's own float64 CPU copies, and autograd's gradients
through it, computed before the learner's code is called. Gradients are read by calling
LayerNormFunction.backward directly with the real context (the grad_fn node that apply made),
so a gradient of the wrong shape is seen instead of being summed by the autograd engine. Inputs
have a mean far from 0 and a spread far from 1 per group, and normalized_shape has one and two
dims, so the biased variance, the normalized dims and eps inside the square root each matter.
The deny: list (F.layer_norm and every other normalization that computes one, autograd inside
backward) is enforced by the judge before any check runs.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_tensor, expect, fail, gradcheck64, points

RTOL = 1e-4
"""Values are compared in float64 but with room: where eps goes (inside or outside the square
root) changes results with eps=1e-5 by up to ~1e-5, and has checks of its own (test_eps,
test_layer_norm_default_eps) with eps values where it matters. The mistakes the other checks
are about (the unbiased variance, the wrong dims, missing terms of the gradient) change results
by 1e-2 or more."""
ATOL = 1e-4


def make_x(seed: int, shape, dtype=torch.float64, spread: float = 3.0) -> torch.Tensor:
    """Groups with a mean near 5 and a spread near ``spread``."""
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * spread + 5.0).to(dtype)


def make_affine(seed: int, normalized_shape, dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)
    w = torch.randn(normalized_shape, generator=gen, dtype=torch.float64) * 0.5 + 1.0
    b = torch.randn(normalized_shape, generator=gen, dtype=torch.float64)
    return w.to(dtype), b.to(dtype)


def cpu64(t):
    return None if t is None else t.detach().to("cpu", torch.float64)


def reference(x, normalized_shape, weight, bias, eps, grad=None):
    """F.layer_norm on float64 CPU copies; with ``grad``, also autograd's gradients of x,
    weight and bias (None for the ones that are None)."""
    tracked = grad is not None
    x64 = cpu64(x).requires_grad_(tracked)
    w64 = None if weight is None else cpu64(weight).requires_grad_(tracked)
    b64 = None if bias is None else cpu64(bias).requires_grad_(tracked)
    y = F.layer_norm(x64, tuple(normalized_shape), w64, b64, eps)
    if not tracked:
        return y.detach()
    inputs = [t for t in (x64, w64, b64) if t is not None]
    grads = iter(torch.autograd.grad(y, inputs, cpu64(grad)))
    return y.detach(), tuple(None if t is None else next(grads) for t in (x64, w64, b64))


def on(device, *tensors):
    return tuple(None if t is None else t.to(device) for t in tensors)


def apply(submission, x, normalized_shape, weight, bias, eps):
    return submission.LayerNormFunction.apply(x, tuple(normalized_shape), weight, bias, eps)


def call_backward(submission, x, normalized_shape, weight, bias, eps, g):
    """Forward through apply, then backward called directly on its context; returns the five
    values after checking there are five."""
    y = apply(submission, x, normalized_shape, weight, bias, eps)
    ctx = getattr(y, "grad_fn", None)
    if ctx is None:
        fail(
            en="LayerNormFunction.apply returned a tensor that is not attached to the autograd "
            "graph (did forward return something other than the output tensor?)",
            zh="LayerNormFunction.apply 返回的张量没有连到计算图上（forward 返回的是不是输出张量？）",
        )
    with torch.no_grad():  # the engine runs backward with grad mode off
        grads = submission.LayerNormFunction.backward(ctx, g)
    if type(grads) not in (tuple, list) or len(grads) != 5:
        got = f"{len(grads)} values" if type(grads) in (tuple, list) else type(grads).__name__
        fail(
            en="backward should return five values (grad_x, None, grad_weight, grad_bias, None), "
            f"one per input of forward, got {got}",
            zh="backward 应当返回五个值 (grad_x, None, grad_weight, grad_bias, None)，"
            f"forward 的每个输入一个，实际返回 {got}",
        )
    return tuple(grads)


def grad_output(seed: int, shape, dtype=torch.float64) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


# id -> (shape of x, normalized_shape)
FORWARD = {
    "2d_last_dim": ((4, 6), (6,)),
    "3d_last_dim": ((2, 3, 5), (5,)),
    "3d_two_dims": ((2, 3, 4), (3, 4)),
    "4d_two_dims": ((2, 2, 3, 5), (3, 5)),
}


@points(1.5)
@pytest.mark.parametrize("case", list(FORWARD))
def test_forward(submission, device, case):
    """forward with weight and bias: normalized over the last len(normalized_shape) dims with
    the biased variance, for 1-dim and 2-dim normalized shapes, compared with F.layer_norm."""
    shape, ns = FORWARD[case]
    x = make_x(len(case), shape)
    w, b = make_affine(len(case) + 1, ns)
    expected = reference(x, ns, w, b, 1e-5)
    what_en = f"LayerNormFunction.apply(x, {ns}, weight, bias, 1e-5) for x of shape {shape}"
    what_zh = f"形状为 {shape} 的 x 的 LayerNormFunction.apply(x, {ns}, weight, bias, 1e-5)"
    out = apply(submission, *on(device, x), ns, *on(device, w, b), 1e-5)
    assert_tensor(out, shape=shape, what_en=what_en, what_zh=what_zh)
    assert_close(out, expected, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)


AFFINE_PARTS = {"no_weight_no_bias": (False, False), "weight_only": (True, False)}


@points(0.5)
@pytest.mark.parametrize("case", list(AFFINE_PARTS))
def test_forward_without_affine(submission, device, case):
    """weight and bias may be None: no multiplication, no addition."""
    with_w, with_b = AFFINE_PARTS[case]
    x = make_x(10, (3, 2, 4))
    w, b = make_affine(11, (2, 4))
    w, b = (w if with_w else None), (b if with_b else None)
    expected = reference(x, (2, 4), w, b, 1e-5)
    label = "weight" if with_w else "None"
    what_en = f"LayerNormFunction.apply(x, (2, 4), {label}, None, 1e-5)"
    what_zh = f"bias 为 None 时的 {what_en}"
    out = apply(submission, *on(device, x), (2, 4), *on(device, w, b), 1e-5)
    assert_close(out, expected, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)


EPS = {"eps_0.5": 0.5, "eps_2": 2.0}


@points(1)
@pytest.mark.parametrize("case", list(EPS))
def test_eps(submission, device, case):
    """eps is added to the variance inside the square root: large eps values and groups of
    small spread, where sqrt(var + eps), sqrt(var) + eps and an eps ignored all differ."""
    eps = EPS[case]
    x = make_x(20 + len(case), (4, 5), spread=0.3)
    w, b = make_affine(21, (5,))
    expected = reference(x, (5,), w, b, eps)
    what_en = f"LayerNormFunction.apply(x, (5,), weight, bias, {eps}) for groups of small spread"
    what_zh = f"各组离散程度很小时的 LayerNormFunction.apply(x, (5,), weight, bias, {eps})"
    out = apply(submission, *on(device, x), (5,), *on(device, w, b), eps)
    assert_close(out, expected, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)


GRADS = {
    "2d_last_dim": ((4, 6), (6,)),
    "3d_two_dims": ((2, 3, 4), (3, 4)),
    "4d_last_dim": ((2, 2, 3, 5), (5,)),
}


@points(1.5)
@pytest.mark.parametrize("case", list(GRADS))
def test_grad_input(submission, device, case):
    """grad_x from backward equals autograd's gradient through F.layer_norm, mean and variance
    terms included, for an upstream gradient that is not all ones."""
    shape, ns = GRADS[case]
    x = make_x(30 + len(case), shape)
    w, b = make_affine(31, ns)
    g = grad_output(32, shape)
    _, (gx, _, _) = reference(x, ns, w, b, 1e-5, grad=g)
    x, w, b = (t.to(device).requires_grad_(True) for t in (x, w, b))
    grads = call_backward(submission, x, ns, w, b, 1e-5, g.to(device))
    what_en = f"grad_x for x of shape {shape}, normalized_shape {ns}"
    what_zh = f"形状为 {shape}、normalized_shape 为 {ns} 的 x 的 grad_x"
    assert_tensor(grads[0], shape=shape, device=device, what_en=what_en, what_zh=what_zh)
    assert_close(grads[0], gx, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)


@points(0.5)
def test_grad_input_without_weight(submission, device):
    """grad_x is right when weight and bias are None."""
    x = make_x(40, (3, 2, 4))
    g = grad_output(41, (3, 2, 4))
    _, (gx, _, _) = reference(x, (2, 4), None, None, 1e-5, grad=g)
    x = x.to(device).requires_grad_(True)
    grads = call_backward(submission, x, (2, 4), None, None, 1e-5, g.to(device))
    assert_close(
        grads[0],
        gx,
        rtol=RTOL,
        atol=ATOL,
        what_en="grad_x without weight and bias",
        what_zh="没有 weight 和 bias 时的 grad_x",
    )


@points(1.5)
@pytest.mark.parametrize("case", list(GRADS))
def test_grad_weight_bias(submission, device, case):
    """grad_weight and grad_bias have exactly the shape normalized_shape (summed over every dim
    in front) and autograd's values."""
    shape, ns = GRADS[case]
    x = make_x(50 + len(case), shape)
    w, b = make_affine(51, ns)
    g = grad_output(52, shape)
    _, (_, gw, gb) = reference(x, ns, w, b, 1e-5, grad=g)
    x, w, b = (t.to(device).requires_grad_(True) for t in (x, w, b))
    grads = call_backward(submission, x, ns, w, b, 1e-5, g.to(device))
    for index, name, want in ((2, "grad_weight", gw), (3, "grad_bias", gb)):
        what_en = f"{name} for x of shape {shape}, normalized_shape {ns}"
        what_zh = f"形状为 {shape}、normalized_shape 为 {ns} 时的 {name}"
        assert_tensor(grads[index], shape=ns, device=device, what_en=what_en, what_zh=what_zh)
        assert_close(grads[index], want, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)


@points(0.5)
def test_backward_returns(submission, device):
    """backward returns (grad_x, None, grad_weight, grad_bias, None): None for normalized_shape
    and eps, and for weight and bias when they are None."""
    x = make_x(60, (3, 4)).to(device).requires_grad_(True)
    w, b = (t.to(device).requires_grad_(True) for t in make_affine(61, (4,)))
    g = grad_output(62, (3, 4)).to(device)
    for weight, bias in ((w, b), (None, None), (w, None)):
        grads = call_backward(submission, x, (4,), weight, bias, 1e-5, g)
        expected_none = {1: "normalized_shape", 4: "eps"}
        if weight is None:
            expected_none[2] = "weight (None here)"
        if bias is None:
            expected_none[3] = "bias (None here)"
        for index, name in sorted(expected_none.items()):
            got = grads[index]
            expect(
                got is None,
                en=f"backward's value #{index} belongs to {name}: it should be None, got "
                f"{type(got).__name__}",
                zh=f"backward 的第 {index} 个返回值对应 {name}，应为 None，实际为 {type(got).__name__}",
            )
        for index in {0, 2, 3} - set(expected_none):
            expect(
                grads[index] is not None,
                en=f"backward's value #{index} is None, but that input needs a gradient",
                zh=f"backward 的第 {index} 个返回值为 None，但这个输入需要梯度",
            )


GRADCHECK = {"last_dim": ((3, 4), (4,)), "two_dims": ((2, 2, 3), (2, 3))}


@points(1)
@pytest.mark.parametrize("case", list(GRADCHECK))
def test_gradcheck(submission, device, case):
    """Through the autograd engine, the gradients of x, weight and bias match numerical
    gradients (float64 gradcheck)."""
    shape, ns = GRADCHECK[case]
    x = make_x(70, shape).to(device).requires_grad_(True)
    w, b = (t.to(device).requires_grad_(True) for t in make_affine(71, ns))
    gradcheck64(
        lambda a, c, d: submission.LayerNormFunction.apply(a, ns, c, d, 1e-5),
        (x, w, b),
        what=f"LayerNormFunction.apply(x, {ns}, weight, bias, 1e-5)",
    )


@points(0.5)
def test_layer_norm_default_eps(submission, device):
    """layer_norm without eps uses 1e-5: groups whose variance is about 1e-4, where 1e-5 and
    1e-6 give visibly different results."""
    x = make_x(80, (3, 6), spread=0.01)
    w, b = make_affine(81, (6,))
    expected = reference(x, (6,), w, b, 1e-5)
    out = submission.layer_norm(*on(device, x), (6,), *on(device, w, b))
    assert_close(
        out,
        expected,
        rtol=1e-7,
        atol=1e-9,
        what_en="layer_norm(x, (6,), weight, bias) (default eps=1e-5) of groups with variance "
        "near 1e-4",
        what_zh="方差约为 1e-4 的各组的 layer_norm(x, (6,), weight, bias)（默认 eps=1e-5）",
    )


SHAPE_FORMS = {"int": 5, "list": [2, 5]}


@points(0.5)
@pytest.mark.parametrize("case", list(SHAPE_FORMS))
def test_layer_norm_shape_forms(submission, device, case):
    """layer_norm takes normalized_shape as an int (5 means (5,)) or a list."""
    ns = SHAPE_FORMS[case]
    shape_tuple = (ns,) if isinstance(ns, int) else tuple(ns)
    x = make_x(90 + len(case), (3, 2, 5))
    expected = reference(x, shape_tuple, None, None, 1e-5)
    out = submission.layer_norm(x.to(device), ns)
    assert_close(
        out,
        expected,
        rtol=RTOL,
        atol=ATOL,
        what_en=f"layer_norm(x, {ns!r}) for x of shape (3, 2, 5)",
        what_zh=f"形状为 (3, 2, 5) 的 x 的 layer_norm(x, {ns!r})",
    )


@points(0.5)
@pytest.mark.parametrize("ns", [(4,), (5, 3)])
def test_layer_norm_shape_mismatch(submission, device, ns):
    """layer_norm raises ValueError when the last dims of x are not normalized_shape."""
    x = make_x(100, (2, 3, 5)).to(device)
    try:
        submission.layer_norm(x, ns)
    except ValueError:
        return
    except Exception as exc:  # any other exception is the learner's mistake
        fail(
            en=f"layer_norm(x of shape (2, 3, 5), {ns}) should raise ValueError, got "
            f"{type(exc).__name__}: {exc}",
            zh=f"layer_norm(形状为 (2, 3, 5) 的 x, {ns}) 应当抛出 ValueError，实际抛出 "
            f"{type(exc).__name__}：{exc}",
        )
    fail(
        en=f"layer_norm(x of shape (2, 3, 5), {ns}) should raise ValueError, but it returned a value",
        zh=f"layer_norm(形状为 (2, 3, 5) 的 x, {ns}) 应当抛出 ValueError，但它返回了一个值",
    )


def check_parameter(value, name, fill, shape):
    what_en, what_zh = f"LayerNorm's {name}", f"LayerNorm 的 {name}"
    if type(value) is not torch.nn.Parameter:
        fail(
            en=f"{what_en} should be an nn.Parameter, got {type(value).__name__}",
            zh=f"{what_zh} 应当是 nn.Parameter，实际为 {type(value).__name__}",
        )
    expected = torch.full(shape, fill, dtype=torch.float32)
    assert_close(value.detach(), expected, rtol=0, atol=0, what_en=what_en, what_zh=what_zh)
    expect(
        bool(value.requires_grad),
        en=f"{what_en} should require grad",
        zh=f"{what_zh} 应当 requires_grad",
    )


@points(1)
@pytest.mark.parametrize("case", ["affine_int", "no_affine_tuple"])
def test_module_init(submission, case):
    """LayerNorm(5): normalized_shape (5,), eps 1e-5, elementwise_affine True, weight ones and
    bias zeros as float32 Parameters, state_dict keys weight and bias; LayerNorm((2, 3),
    eps=1e-3, elementwise_affine=False): weight and bias None, no parameter at all."""
    if case == "affine_int":
        module = submission.LayerNorm(5)
        want = {"normalized_shape": (5,), "eps": 1e-5, "elementwise_affine": True}
        call = "LayerNorm(5)"
    else:
        module = submission.LayerNorm((2, 3), eps=1e-3, elementwise_affine=False)
        want = {"normalized_shape": (2, 3), "eps": 1e-3, "elementwise_affine": False}
        call = "LayerNorm((2, 3), eps=1e-3, elementwise_affine=False)"
    for attr, value in want.items():
        got = getattr(module, attr)
        same_kind = isinstance(got, tuple) if type(value) is tuple else type(got) is type(value)
        expect(
            same_kind and got == value,
            en=f"{call}.{attr} should be {value!r}, got {got!r}",
            zh=f"{call}.{attr} 应为 {value!r}，实际为 {got!r}",
        )
    keys = list(module.state_dict().keys())
    if case == "affine_int":
        check_parameter(module.weight, "weight", 1.0, (5,))
        check_parameter(module.bias, "bias", 0.0, (5,))
        expect(
            sorted(keys) == ["bias", "weight"],
            en=f"{call}.state_dict() should have the keys ['bias', 'weight'], got {sorted(keys)}",
            zh=f"{call}.state_dict() 的键应为 ['bias', 'weight']，实际为 {sorted(keys)}",
        )
    else:
        for name in ("weight", "bias"):
            got = getattr(module, name)
            expect(
                got is None,
                en=f"{call}.{name} should be None, got {type(got).__name__}",
                zh=f"{call}.{name} 应为 None，实际为 {type(got).__name__}",
            )
        expect(
            keys == [],
            en=f"{call} should have no parameters, but its state_dict() has {keys}",
            zh=f"{call} 不应有任何参数，但它的 state_dict() 中有 {keys}",
        )


@points(1)
@pytest.mark.parametrize("case", ["affine", "no_affine_eps"])
def test_module_forward(submission, device, case):
    """LayerNorm's forward: with weights loaded by load_state_dict (normalized over two dims),
    and without affine parameters, with the module's own eps."""
    x = make_x(110, (2, 3, 4), spread=0.5).float()
    if case == "affine":
        w, b = make_affine(111, (3, 4), torch.float32)
        expected = reference(x, (3, 4), w, b, 1e-5)
        module = submission.LayerNorm((3, 4))
        module.load_state_dict({"weight": w, "bias": b})
        desc = "LayerNorm((3, 4)) after load_state_dict of random weight and bias"
        desc_zh = "用 load_state_dict 载入随机 weight 和 bias 之后的 LayerNorm((3, 4))"
    else:
        expected = reference(x, (4,), None, None, 0.1)
        module = submission.LayerNorm(4, eps=0.1, elementwise_affine=False)
        desc = desc_zh = "LayerNorm(4, eps=0.1, elementwise_affine=False)"
    if device.type != "cpu":
        module.to(device)
    what_en = f"the output of {desc} for float32 x of shape (2, 3, 4)"
    what_zh = f"{desc_zh} 对形状为 (2, 3, 4) 的 float32 x 的输出"
    out = module(x.to(device))
    got = assert_tensor(out, shape=(2, 3, 4), what_en=what_en, what_zh=what_zh)
    assert_close(
        got.detach().to("cpu", torch.float64),
        expected,
        rtol=1e-4,
        atol=1e-5,
        what_en=what_en,
        what_zh=what_zh,
    )


@points(0.5)
def test_dtypes(submission, device):
    """float32 inputs: the output and every gradient backward returns are float32, on the
    inputs' device."""
    x = make_x(120, (3, 4), torch.float32).to(device).requires_grad_(True)
    w, b = (t.to(device).requires_grad_(True) for t in make_affine(121, (4,), torch.float32))
    out = apply(submission, x, (4,), w, b, 1e-5)
    assert_tensor(
        out,
        dtype=torch.float32,
        device=device,
        what_en="LayerNormFunction.apply of float32 inputs",
        what_zh="float32 输入的 LayerNormFunction.apply",
    )
    grads = call_backward(
        submission, x, (4,), w, b, 1e-5, grad_output(122, (3, 4), torch.float32).to(device)
    )
    for index, name in ((0, "grad_x"), (2, "grad_weight"), (3, "grad_bias")):
        assert_tensor(
            grads[index],
            dtype=torch.float32,
            device=device,
            what_en=f"{name} for float32 inputs",
            what_zh=f"float32 输入的 {name}",
        )
