"""Hidden checks for attention-by-hand: attention(query, key, value, attn_mask=None,
is_causal=False, scale=None), scaled dot-product attention with boolean, additive and causal
masks.

Every reference is F.scaled_dot_product_attention of the check's own float64 CPU copies,
computed before the learner's code is called (gradients too: autograd through it). Most checks
pass an explicit scale that is not 1 / sqrt(E), so that test_default_scale alone is about the
default; the values checks compare float64 results, test_dtypes is about dtypes. Fully masked
rows have their own checks (zeros forward, finite and right gradients), as the statement
requires them explicitly. The deny: list (F.scaled_dot_product_attention, the
MultiheadAttention and Transformer classes, torch.nn.attention) is enforced by the judge before
any check runs; torch.ops and torch._C are refused by the default policy.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_tensor, expect, fail, gradcheck64, points

RTOL = 1e-7
ATOL = 1e-9
SCALE = 0.37
"""The explicit scale most checks pass: 1 / sqrt(E) is 0.354 for E = 8, 0.333 for E = 9 and
0.5 for E = 4, so a submission that ignores scale is seen."""


def randn(seed: int, shape, dtype=torch.float64) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype)


def qkv(seed: int, lead, L: int, S: int, E: int, Ev: int, dtype=torch.float64):
    return (
        randn(seed, (*lead, L, E), dtype),
        randn(seed + 1, (*lead, S, E), dtype),
        randn(seed + 2, (*lead, S, Ev), dtype),
    )


def cpu64(t):
    return (
        None
        if t is None
        else t.detach().to("cpu", torch.float64 if t.is_floating_point() else t.dtype)
    )


def reference(query, key, value, grad=None, **kwargs):
    """F.scaled_dot_product_attention on float64 CPU copies (and, with ``grad``, the gradients
    of query, key and value for that upstream gradient)."""
    q, k, v = (cpu64(t).requires_grad_(grad is not None) for t in (query, key, value))
    mask = kwargs.pop("attn_mask", None)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=cpu64(mask), **kwargs)
    if grad is None:
        return out.detach()
    grads = torch.autograd.grad(out, (q, k, v), cpu64(grad))
    return out.detach(), grads


def describe(query, key, value, **kwargs) -> tuple[str, str]:
    """How a call looks, for messages: the shapes of the tensors, the other arguments as given."""
    shapes = f"query {tuple(query.shape)}, key {tuple(key.shape)}, value {tuple(value.shape)}"
    en, zh = [shapes], [shapes]
    for name, val in kwargs.items():
        if type(val) is torch.Tensor:
            kind = "boolean" if val.dtype == torch.bool else str(val.dtype)
            en.append(f"{name} ({kind}, shape {tuple(val.shape)})")
            zh.append(f"{name}（{kind}，形状 {tuple(val.shape)}）")
        else:
            en.append(f"{name}={val}")
            zh.append(f"{name}={val}")
    return "attention(" + ", ".join(en) + ")", "attention(" + "，".join(zh) + ")"


def check_output(submission, device, query, key, value, **kwargs):
    """Reference first, then the call: a plain tensor of the right shape, then its values (as
    float64; dtypes are test_dtypes' business). Returns the output as a float64 CPU copy."""
    expected = reference(query, key, value, **kwargs)
    moved = {k: (v.to(device) if type(v) is torch.Tensor else v) for k, v in kwargs.items()}
    what_en, what_zh = describe(query, key, value, **kwargs)
    out = submission.attention(query.to(device), key.to(device), value.to(device), **moved)
    got = assert_tensor(out, shape=tuple(expected.shape), what_en=what_en, what_zh=what_zh)
    got64 = got.detach().to("cpu", torch.float64)
    assert_close(got64, expected, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)
    return got64


# id -> (leading dims, L, S, E, Ev)
PLAIN = {
    "2d": ((), 4, 6, 5, 3),
    "3d": ((2,), 5, 3, 4, 6),
    "4d_heads": ((2, 3), 4, 4, 8, 2),
}


@points(1.5)
@pytest.mark.parametrize("case", list(PLAIN))
def test_no_mask(submission, device, case):
    """No mask: softmax(q @ k^T * scale) @ v for 2-D, 3-D and 4-D inputs with L != S and
    Ev != E (an explicit scale)."""
    q, k, v = qkv(len(case), *PLAIN[case])
    check_output(submission, device, q, k, v, scale=SCALE)


# id -> (leading dims, L, S, E, Ev): E differs from Ev, L and S, so sqrt of the wrong one shows
DEFAULT_SCALE = {
    "3d": ((2,), 3, 5, 9, 4),
    "4d": ((1, 2), 6, 2, 16, 5),
}


@points(1)
@pytest.mark.parametrize("case", list(DEFAULT_SCALE))
def test_default_scale(submission, device, case):
    """Without scale, the scores are multiplied by 1 / sqrt(E), E the last dim of query."""
    q, k, v = qkv(len(case) + 10, *DEFAULT_SCALE[case])
    check_output(submission, device, q, k, v)


EXPLICIT_SCALES = {"zero": 0.0, "two": 2.0}


@points(1)
@pytest.mark.parametrize("case", list(EXPLICIT_SCALES))
def test_explicit_scale(submission, device, case):
    """A given scale is used as it is, 0.0 included (then every query averages the values)."""
    q, k, v = qkv(20 + len(case), (2,), 4, 5, 3, 2)
    check_output(submission, device, q, k, v, scale=EXPLICIT_SCALES[case])


def bool_mask(seed: int, shape) -> torch.Tensor:
    """A random boolean mask in which every row keeps at least one key (column seed % S)."""
    gen = torch.Generator().manual_seed(seed)
    mask = torch.rand(shape, generator=gen) > 0.45
    mask[..., seed % shape[-1]] = True
    return mask


# id -> (leading dims, L, S, mask shape)
BOOL = {
    "2d_mask_LS": ((), 4, 5, (4, 5)),
    "4d_mask_LS_broadcast": ((2, 3), 3, 6, (3, 6)),
    "4d_mask_per_batch": ((2, 3), 4, 4, (2, 1, 4, 4)),
}


@points(1.5)
@pytest.mark.parametrize("case", list(BOOL))
def test_bool_mask(submission, device, case):
    """A boolean mask: True takes part, False is masked out; masks of shape (L, S) and
    (N, 1, L, S) broadcast over the scores."""
    lead, L, S, mask_shape = BOOL[case]
    q, k, v = qkv(30 + len(case), lead, L, S, 4, 3)
    mask = bool_mask(31 + len(case), mask_shape)
    check_output(submission, device, q, k, v, attn_mask=mask, scale=SCALE)


@points(1)
@pytest.mark.parametrize("case", ["finite_bias", "bias_with_minus_inf"])
def test_float_mask(submission, device, case):
    """A float mask is added to the scaled scores: arbitrary finite values, and -inf entries
    that mask out."""
    q, k, v = qkv(40 + len(case), (2, 2), 4, 5, 3, 3)
    mask = randn(41 + len(case), (2, 1, 4, 5)) * 2
    if case == "bias_with_minus_inf":
        mask = mask.masked_fill(~bool_mask(42, (2, 1, 4, 5)), float("-inf"))
    check_output(submission, device, q, k, v, attn_mask=mask, scale=SCALE)


# id -> (leading dims, L, S)
CAUSAL = {
    "square": ((2,), 5, 5),
    "more_keys": ((2, 2), 3, 6),
    "more_queries": ((2,), 6, 3),
    "2d_more_keys": ((), 2, 4),
}


@points(1.5)
@pytest.mark.parametrize("case", list(CAUSAL))
def test_causal(submission, device, case):
    """is_causal=True: query i attends to keys 0..i, the top-left triangle
    ones(L, S).tril(), also when L != S."""
    lead, L, S = CAUSAL[case]
    q, k, v = qkv(50 + len(case), lead, L, S, 4, 2)
    check_output(submission, device, q, k, v, is_causal=True, scale=SCALE)


@points(0.5)
def test_causal_with_mask_raises(submission, device):
    """attn_mask together with is_causal=True raises ValueError."""
    q, k, v = (t.to(device) for t in qkv(60, (2,), 3, 3, 4, 2))
    mask = torch.ones(3, 3, dtype=torch.bool, device=device)
    try:
        submission.attention(q, k, v, attn_mask=mask, is_causal=True)
    except ValueError:
        return
    except Exception as exc:  # any other exception is the learner's mistake
        fail(
            en=f"attention(..., attn_mask=mask, is_causal=True) should raise ValueError, got "
            f"{type(exc).__name__}: {exc}",
            zh=f"attention(..., attn_mask=mask, is_causal=True) 应当抛出 ValueError，实际抛出 "
            f"{type(exc).__name__}：{exc}",
        )
    fail(
        en="attention(..., attn_mask=mask, is_causal=True) should raise ValueError, but it "
        "returned a value",
        zh="attention(..., attn_mask=mask, is_causal=True) 应当抛出 ValueError，但它返回了一个值",
    )


def masks_with_dead_rows():
    """A boolean mask and a float mask for (2, 3, 4, 5) scores in which some query rows may
    attend to no key; returns (bool mask, float mask, dead rows as a (2, 3, 4) bool tensor)."""
    keep = bool_mask(70, (2, 3, 4, 5))
    keep[0, 1, 2] = False
    keep[1, :, 0] = False
    keep[1, 2, 3] = False
    bias = randn(71, (2, 3, 4, 5)).masked_fill(~keep, float("-inf"))
    return keep, bias, ~keep.any(-1)


@points(1)
@pytest.mark.parametrize("kind", ["bool", "float"])
def test_fully_masked_rows(submission, device, kind):
    """A query row that may attend to no key (all False, or all -inf) gives a row of zeros,
    never nan; the other rows are unaffected."""
    q, k, v = qkv(72, (2, 3), 4, 5, 3, 2)
    keep, bias, dead = masks_with_dead_rows()
    mask = keep if kind == "bool" else bias
    got = check_output(submission, device, q, k, v, attn_mask=mask, scale=SCALE)
    rows = got[dead]
    expect(
        bool((rows == 0).all()),
        en=f"the fully masked rows must be exactly 0, got {rows.tolist()}",
        zh=f"完全被屏蔽的行必须恰好为 0，实际为 {rows.tolist()}",
    )


@points(1)
@pytest.mark.parametrize("kind", ["bool", "float"])
def test_fully_masked_gradients(submission, device, kind):
    """With fully masked rows, the gradients of query, key and value are finite and equal
    autograd's through scaled_dot_product_attention (the dead query rows get 0)."""
    q, k, v = qkv(80, (2, 3), 4, 5, 3, 2)
    keep, bias, dead = masks_with_dead_rows()
    mask = keep if kind == "bool" else bias
    g = randn(81, (2, 3, 4, 2))
    _, expected = reference(q, k, v, grad=g, attn_mask=mask, scale=SCALE)
    inputs = [t.to(device).requires_grad_(True) for t in (q, k, v)]
    out = submission.attention(*inputs, attn_mask=mask.to(device), scale=SCALE)
    got = assert_tensor(out, shape=(2, 3, 4, 2), what_en="attention(...)", what_zh="attention(...)")
    expect(
        bool(got.requires_grad),
        en="the output must require grad when query, key and value do (was it detached?)",
        zh="query、key、value 需要梯度时，输出也必须 requires_grad（是否被 detach 了？）",
    )
    got.backward(g.to(device))
    for name, t, want in zip(("query", "key", "value"), inputs, expected):
        grad = t.grad
        if grad is None:
            fail(
                en=f"{name}.grad is None after backward: no gradient reached {name} (was "
                "something detached on the way?)",
                zh=f"backward 之后 {name}.grad 为 None：梯度没有传到 {name}（途中是否 detach 了什么？）",
            )
        grad64 = grad.detach().to("cpu", torch.float64)
        if not bool(grad64.isfinite().all()):
            fail(
                en=f"{name}.grad has nan or inf entries: softmax of a row of -inf is nan, and so "
                "is its gradient, even when the nan outputs are replaced afterwards",
                zh=f"{name}.grad 中有 nan 或 inf：整行为 -inf 时 softmax 得到 nan，它的梯度也是 nan，"
                "事后替换输出中的 nan 并不能消除它",
            )
        assert_close(
            grad64,
            want,
            rtol=RTOL,
            atol=ATOL,
            what_en=f"{name}.grad with fully masked rows ({kind} mask)",
            what_zh=f"有完全被屏蔽的行时（{kind} 掩码）的 {name}.grad",
        )


# id -> keyword arguments (tensors made in the check)
GRADIENT = {"no_mask": {}, "bool_mask": {"mask": True}, "causal": {"is_causal": True}}


@points(1)
@pytest.mark.parametrize("case", list(GRADIENT))
def test_gradient(submission, device, case):
    """Gradients flow back to query, key and value: float64 gradcheck against numerical
    gradients."""
    q, k, v = (t.to(device).requires_grad_(True) for t in qkv(90, (2,), 3, 4, 3, 2))
    kwargs: dict[str, object] = {"scale": SCALE}
    if GRADIENT[case].get("mask"):
        kwargs["attn_mask"] = bool_mask(91, (3, 4)).to(device)
    if GRADIENT[case].get("is_causal"):
        kwargs["is_causal"] = True
    gradcheck64(
        lambda a, b, c: submission.attention(a, b, c, **kwargs),
        (q, k, v),
        what=f"attention ({case.replace('_', ' ')})",
    )


@points(0.5)
@pytest.mark.parametrize("case", ["float32", "float32_large"])
def test_large_scores(submission, device, case):
    """float32 inputs whose scores reach the thousands: softmax must not overflow (nan or inf)."""
    q, k, v = qkv(100, (2,), 4, 6, 8, 3, torch.float32)
    factor = 12.0 if case == "float32" else 30.0
    q, k = q * factor, k * factor
    expected = reference(q, k, v, scale=SCALE)
    out = submission.attention(q.to(device), k.to(device), v.to(device), scale=SCALE)
    what_en = f"attention of float32 inputs whose scores reach {factor * factor:g}"
    what_zh = f"分数高达 {factor * factor:g} 的 float32 输入的 attention"
    got = assert_tensor(out, shape=(2, 4, 3), what_en=what_en, what_zh=what_zh)
    assert_close(
        got.detach().to("cpu", torch.float64),
        expected,
        rtol=1e-4,
        atol=1e-5,
        what_en=what_en,
        what_zh=what_zh,
    )


DTYPES = {"float32": torch.float32, "float64": torch.float64}


@points(0.5)
@pytest.mark.parametrize("case", list(DTYPES))
def test_dtypes(submission, device, case):
    """The output is a plain tensor of shape (..., L, Ev) with the dtype and device of query,
    with and without a float mask of that dtype."""
    dtype = DTYPES[case]
    q, k, v = (t.to(device) for t in qkv(110, (2,), 3, 5, 4, 6, dtype))
    bias = randn(111, (3, 5), dtype).to(device)
    for kwargs in ({}, {"attn_mask": bias}):
        label = "with a float mask" if kwargs else "without a mask"
        assert_tensor(
            submission.attention(q, k, v, **kwargs),
            shape=(2, 3, 6),
            dtype=dtype,
            device=device,
            what_en=f"attention of {case} inputs {label}",
            what_zh=f"{case} 输入的 attention（{'有浮点掩码' if kwargs else '无掩码'}）",
        )
