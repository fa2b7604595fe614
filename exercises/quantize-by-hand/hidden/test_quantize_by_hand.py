"""Hidden checks for quantize-by-hand: qrange, choose_qparams, quantize and dequantize for
8-bit per-tensor affine quantization, the integers of torch.quint8 and torch.qint8 held in
torch.uint8 and torch.int8 (the dtypes the learner's functions take: quantized dtypes cannot
be sent to the executor).

References come from torch itself, judge-side, on the check's own copies and before the
learner's code is called: torch.ao.quantization.MinMaxObserver for scale and zero point, and
torch.quantize_per_tensor(...).int_repr() / .dequantize() for the integers and floats. torch
2.13 marks quantized-tensor creation as deprecated (a UserWarning, "torch.quantize_per_tensor,
torch.quantize_per_channel and other quantized tensor creation functions ... are deprecated");
every such call here goes through ``torch_quantized``, which silences exactly that warning so
the judge emits none.

Inputs compared with torch.quantize_per_tensor stay at least 0.1 away from a tie of
x / scale + zero_point, so that x / scale (the statement) and x * (1 / scale) (torch's kernel)
round alike. Exact ties have their own check, against the statement's formula with values
whose float32 arithmetic is exact (scales 0.5 and 0.25). Values are compared apart from dtypes
(test_quantize_dtype and test_dequantize_dtype), and types of scale and zero point apart from
their values (test_qparams_types).
"""

from __future__ import annotations

import warnings

import pytest
import torch

from grader.checks import assert_close, assert_tensor, expect, fail, points

RANGES = {"uint8": (torch.uint8, 0, 255), "int8": (torch.int8, -128, 127)}
"""name -> (the dtype the learner's functions take, qmin, qmax)."""
QUANTIZED = {torch.uint8: torch.quint8, torch.int8: torch.qint8}
"""The quantized dtype whose integers each storage dtype holds, for torch's references."""
DEPRECATED = r"torch\.quantize_per_tensor, torch\.quantize_per_channel and other quantized"


def torch_quantized(x: torch.Tensor, scale: float, zero_point: int, dtype) -> torch.Tensor:
    """torch.quantize_per_tensor of a copy to the quantized type of ``dtype`` (uint8 or int8),
    without its deprecation warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=DEPRECATED, category=UserWarning)
        return torch.quantize_per_tensor(x.detach().clone(), scale, zero_point, QUANTIZED[dtype])


def observer_qparams(x: torch.Tensor, dtype) -> tuple[float, int]:
    """scale and zero point of MinMaxObserver (per-tensor affine, full range) for a copy of x."""
    from torch.ao.quantization import MinMaxObserver

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=DEPRECATED, category=UserWarning)
        observer = MinMaxObserver(dtype=QUANTIZED[dtype])
        observer(x.detach().clone())
        scale, zero_point = observer.calculate_qparams()
    return float(scale), int(zero_point)


def number(value, what_en: str, what_zh: str) -> float:
    """A returned scale or zero point as a float for value checks (any number type, or a
    one-element tensor: exact types are test_qparams_types' business)."""
    if type(value) in (int, float):
        return float(value)
    if type(value) is torch.Tensor and value.numel() == 1:
        return float(value.reshape(()).item())
    fail(
        en=f"{what_en} should be a number, got {type(value).__name__}",
        zh=f"{what_zh}应当是一个数，实际为 {type(value).__name__}",
    )


def unpack_qparams(result, call: str) -> tuple[object, object]:
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(
            en=f"{call} should return a tuple (scale, zero_point), got {type(result).__name__}",
            zh=f"{call} 应当返回元组 (scale, zero_point)，实际为 {type(result).__name__}",
        )
    return result[0], result[1]


@points(0.5)
@pytest.mark.parametrize("name", list(RANGES))
def test_qrange(submission, name):
    """qrange(torch.uint8) == (0, 255) and qrange(torch.int8) == (-128, 127), as a tuple of
    two Python ints."""
    dtype, qmin, qmax = RANGES[name]
    got = submission.qrange(dtype)
    ok = (
        type(got) is tuple
        and len(got) == 2
        and all(type(v) is int for v in got)
        and got == (qmin, qmax)
    )
    expect(
        ok,
        en=f"qrange(torch.{name}) should be the tuple of ints {(qmin, qmax)}, got {got!r}",
        zh=f"qrange(torch.{name}) 应为整数元组 {(qmin, qmax)}，实际为 {got!r}",
    )


@points(0.5)
@pytest.mark.parametrize("dtype", [torch.int32, torch.float32], ids=["int32", "float32"])
def test_qrange_unknown_dtype(submission, dtype):
    """Any other dtype raises ValueError."""
    try:
        got = submission.qrange(dtype)
    except ValueError:
        return
    except Exception as exc:  # any other exception is the learner's mistake
        fail(
            en=f"qrange({dtype}) should raise ValueError, got {type(exc).__name__}: {exc}",
            zh=f"qrange({dtype}) 应当抛出 ValueError，实际抛出 {type(exc).__name__}：{exc}",
        )
    fail(
        en=f"qrange({dtype}) should raise ValueError, but it returned {got!r}",
        zh=f"qrange({dtype}) 应当抛出 ValueError，但它返回了 {got!r}",
    )


def spanning(seed: int, lo: float, hi: float, shape) -> torch.Tensor:
    """A float32 tensor whose minimum is exactly lo and maximum exactly hi."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(shape, generator=gen) * (hi - lo) + lo
    flat = x.reshape(-1)
    flat[0], flat[-1] = lo, hi
    return flat.reshape(shape).clamp(lo, hi).to(torch.float32)


# id -> (dtype name, min, max, shape); 255 * -min / (max - min) is never within 0.05 of a tie
QPARAMS = {
    "uint8_mixed": ("uint8", -1.3, 2.9, (4, 5)),
    "int8_mixed": ("int8", -1.3, 2.9, (20,)),
    "uint8_wide": ("uint8", -5.1, 12.7, (3, 4, 2)),
    "int8_mostly_negative": ("int8", -2.2, 0.45, (6, 3)),
}


def check_qparams(submission, x: torch.Tensor, name: str):
    dtype = RANGES[name][0]
    want_scale, want_zp = observer_qparams(x, dtype)
    call = f"choose_qparams(x, torch.{name}) for x from {float(x.min()):g} to {float(x.max()):g}"
    scale, zp = unpack_qparams(submission.choose_qparams(x, dtype), call)
    got_scale = number(scale, f"the scale of {call}", f"{call} 的 scale ")
    got_zp = number(zp, f"the zero point of {call}", f"{call} 的 zero_point ")
    expect(
        abs(got_scale - want_scale) <= 1e-6 * want_scale,
        en=f"{call}: scale should be {want_scale:.9g}, got {got_scale:.9g}",
        zh=f"{call}：scale 应为 {want_scale:.9g}，实际为 {got_scale:.9g}",
    )
    expect(
        got_zp == want_zp,
        en=f"{call}: zero_point should be {want_zp}, got {got_zp:g}",
        zh=f"{call}：zero_point 应为 {want_zp}，实际为 {got_zp:g}",
    )


@points(1.5)
@pytest.mark.parametrize("case", list(QPARAMS))
def test_choose_qparams(submission, case):
    """scale = (max - min) / (qmax - qmin) and zero_point = qmin - round(min / scale) for
    tensors with negative and positive values, equal to MinMaxObserver's."""
    name, lo, hi, shape = QPARAMS[case]
    check_qparams(submission, spanning(len(case), lo, hi, shape), name)


# id -> (dtype name, min, max): the range must be stretched to include 0
ONE_SIDED = {
    "all_positive_int8": ("int8", 0.5, 3.0),
    "all_positive_uint8": ("uint8", 1.25, 7.5),
    "all_negative_uint8": ("uint8", -4.0, -0.5),
    "all_negative_int8": ("int8", -9.5, -2.0),
}


@points(1)
@pytest.mark.parametrize("case", list(ONE_SIDED))
def test_qparams_include_zero(submission, case):
    """For an all-positive or all-negative tensor the range is stretched to include 0
    (min(x.min(), 0), max(x.max(), 0)), so zero_point is qmin or qmax."""
    name, lo, hi = ONE_SIDED[case]
    check_qparams(submission, spanning(len(case) + 10, lo, hi, (3, 4)), name)


@points(0.5)
@pytest.mark.parametrize("name", list(RANGES))
def test_qparams_all_zeros(submission, name):
    """A tensor of zeros gets scale torch.finfo(torch.float32).eps instead of 0 (and a
    zero_point of qmin)."""
    check_qparams(submission, torch.zeros(2, 3), name)


@points(0.5)
def test_qparams_types(submission):
    """choose_qparams returns a Python float and a Python int (not tensors, not numpy)."""
    x = spanning(30, -1.3, 2.9, (4, 5))
    scale, zp = unpack_qparams(
        submission.choose_qparams(x, torch.uint8), "choose_qparams(x, torch.uint8)"
    )
    expect(
        type(scale) is float,
        en=f"scale should be a Python float, got {type(scale).__name__} (use float(...))",
        zh=f"scale 应为 Python float，实际为 {type(scale).__name__}（用 float(...) 转换）",
    )
    expect(
        type(zp) is int,
        en=f"zero_point should be a Python int, got {type(zp).__name__} (use int(...))",
        zh=f"zero_point 应为 Python int，实际为 {type(zp).__name__}（用 int(...) 转换）",
    )


def off_tie_input(seed: int, shape, scale: float, zero_point: int, qmin: int, qmax: int):
    """float32 x whose x / scale + zero_point lies inside [qmin, qmax], at least 0.1 away from
    any tie (k + 0.5)."""
    gen = torch.Generator().manual_seed(seed)
    k = torch.randint(qmin, qmax, shape, generator=gen).to(torch.float64)
    frac = torch.rand(shape, generator=gen, dtype=torch.float64) * 0.3 + 0.1  # [0.1, 0.4)
    frac = torch.where(torch.rand(shape, generator=gen) < 0.5, frac, frac + 0.5)  # or [0.6, 0.9)
    return ((k + frac - zero_point) * scale).to(torch.float32)


# id -> (dtype name, scale, zero point, shape)
QUANTIZE = {
    "uint8_2d": ("uint8", 0.02, 128, (4, 6)),
    "uint8_3d": ("uint8", 0.0137, 37, (2, 3, 4)),
    "int8_1d": ("int8", 0.05, 0, (17,)),
    "int8_offset": ("int8", 0.0071, -20, (5, 5)),
}


def check_quantize(submission, x, scale, zero_point, name, what_en, what_zh):
    """Integers as torch.quantize_per_tensor(...).int_repr() gives them (values only)."""
    dtype = RANGES[name][0]
    expected = torch_quantized(x, scale, zero_point, dtype).int_repr().to(torch.int64)
    out = submission.quantize(x, scale, zero_point, dtype)
    got = assert_tensor(out, shape=tuple(x.shape), what_en=what_en, what_zh=what_zh)
    if got.is_floating_point() and not bool((got == got.round()).all()):
        fail(
            en=f"{what_en} should hold whole numbers, got fractions such as "
            f"{got[got != got.round()][:3].tolist()} (round before converting)",
            zh=f"{what_zh}应当是整数，实际含有小数，例如 {got[got != got.round()][:3].tolist()}"
            "（转换类型之前先取整）",
        )
    assert_close(got.to(torch.int64), expected, rtol=0, atol=0, what_en=what_en, what_zh=what_zh)


@points(1.5)
@pytest.mark.parametrize("case", list(QUANTIZE))
def test_quantize(submission, case):
    """quantize inside the range: round(x / scale + zero_point), as
    torch.quantize_per_tensor(..., torch.quint8 or torch.qint8).int_repr()."""
    name, scale, zp, shape = QUANTIZE[case]
    _, qmin, qmax = RANGES[name]
    x = off_tie_input(len(case), shape, scale, zp, qmin, qmax)
    check_quantize(
        submission,
        x,
        scale,
        zp,
        name,
        f"quantize(x, {scale}, {zp}, torch.{name}) for x of shape {shape}",
        f"形状为 {shape} 的 x 的 quantize(x, {scale}, {zp}, torch.{name})",
    )


# id -> (dtype name, scale, zero point)
CLAMPS = {"uint8": ("uint8", 0.1, 10), "int8": ("int8", 0.02, -5)}


@points(1)
@pytest.mark.parametrize("case", list(CLAMPS))
def test_quantize_clamps(submission, case):
    """Values beyond the range are clamped to qmin and qmax (never wrapped around)."""
    name, scale, zp = CLAMPS[case]
    _, qmin, qmax = RANGES[name]
    inside = off_tie_input(40, (6,), scale, zp, qmin, qmax)
    far = torch.tensor(
        [
            (qmin - zp - 40.3) * scale,
            (qmin - zp - 1.3) * scale,
            (qmax - zp + 1.3) * scale,
            (qmax - zp + 60.2) * scale,
            (qmax - zp + 300.4) * scale,
            -1e6,
            1e6,
        ],
        dtype=torch.float32,
    )
    x = torch.cat([inside, far])
    check_quantize(
        submission,
        x,
        scale,
        zp,
        name,
        f"quantize(x, {scale}, {zp}, torch.{name}) for x = {[round(v, 3) for v in x.tolist()]}",
        f"x = {[round(v, 3) for v in x.tolist()]} 时的 quantize(x, {scale}, {zp}, torch.{name})",
    )


# id -> (dtype name, scale, zero point): odd and even zero points
TIES = {
    "uint8_zp1": ("uint8", 0.5, 1),
    "uint8_zp100": ("uint8", 0.25, 100),
    "int8_zp_minus3": ("int8", 0.5, -3),
    "int8_zp0": ("int8", 0.25, 0),
}


@points(1)
@pytest.mark.parametrize("case", list(TIES))
def test_quantize_ties(submission, case):
    """x / scale + zero_point exactly halfway between two integers rounds to the even one
    (torch.round), and zero_point is added before rounding."""
    name, scale, zp = TIES[case]
    dtype, qmin, qmax = RANGES[name]
    offset = 20 if qmin == 0 else 0  # every value inside the range: ties, not clamping
    halves = offset + torch.tensor([-7.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 10.5]).double()
    x = ((halves - zp) * scale).to(torch.float32)  # exact in float32: scale is a power of 2
    expected = torch.clamp(torch.round(x.double() / scale + zp), qmin, qmax).to(torch.int64)
    what_en = (
        f"quantize(x, {scale}, {zp}, torch.{name}) for x / scale + zero_point = {halves.tolist()}"
    )
    what_zh = (
        f"x / scale + zero_point = {halves.tolist()} 时的 quantize(x, {scale}, {zp}, torch.{name})"
    )
    out = submission.quantize(x, scale, zp, dtype)
    got = assert_tensor(out, shape=(9,), what_en=what_en, what_zh=what_zh)
    assert_close(got.to(torch.int64), expected, rtol=0, atol=0, what_en=what_en, what_zh=what_zh)


@points(0.5)
@pytest.mark.parametrize("name", list(RANGES))
def test_quantize_dtype(submission, name):
    """quantize returns a tensor of the dtype it is given, torch.uint8 or torch.int8."""
    dtype = RANGES[name][0]
    x = off_tie_input(50, (3, 4), 0.03, 3, RANGES[name][1], RANGES[name][2])
    assert_tensor(
        submission.quantize(x, 0.03, 3, dtype),
        shape=(3, 4),
        dtype=dtype,
        what_en=f"quantize(x, 0.03, 3, torch.{name})",
        what_zh=f"quantize(x, 0.03, 3, torch.{name}) 的结果",
    )


# id -> (dtype name, scale, zero point): q on both sides of the zero point, far from it
DEQUANTIZE = {
    "uint8_zp200": ("uint8", 0.05, 200),
    "uint8_zp3": ("uint8", 0.013, 3),
    "int8_zp100": ("int8", 0.02, 100),
    "int8_zp_minus90": ("int8", 0.3, -90),
}


@points(1)
@pytest.mark.parametrize("case", list(DEQUANTIZE))
def test_dequantize(submission, case):
    """dequantize(q, scale, zero_point) = (q - zero_point) * scale, as torch's dequantize, for
    q on both sides of zero_point (the subtraction must not wrap around in 8 bits)."""
    name, scale, zp = DEQUANTIZE[case]
    dtype, qmin, qmax = RANGES[name]
    x = off_tie_input(60 + len(case), (3, 5), scale, zp, qmin, qmax)
    x[0, 0], x[0, 1] = (qmin - zp) * scale, (qmax - zp) * scale  # the extremes of q too
    quantized = torch_quantized(x, scale, zp, dtype)
    q, expected = quantized.int_repr(), quantized.dequantize()
    what_en = f"dequantize(q, {scale}, {zp}) for {dtype} q = {q.reshape(-1).tolist()}"
    what_zh = f"{dtype} q = {q.reshape(-1).tolist()} 时的 dequantize(q, {scale}, {zp})"
    out = submission.dequantize(q, scale, zp)
    got = assert_tensor(out, shape=(3, 5), what_en=what_en, what_zh=what_zh)
    assert_close(
        got.detach().to(torch.float64),
        expected.to(torch.float64),
        rtol=1e-6,
        atol=1e-7,
        what_en=what_en,
        what_zh=what_zh,
    )


@points(0.5)
@pytest.mark.parametrize("name", list(RANGES))
def test_dequantize_dtype(submission, name):
    """dequantize returns float32 whatever the integer dtype of q."""
    storage = RANGES[name][0]
    q = torch.tensor([[0, 5, 100], [127, 3, 9]], dtype=storage)
    assert_tensor(
        submission.dequantize(q, 0.1, 4),
        shape=(2, 3),
        dtype=torch.float32,
        what_en=f"dequantize of a {storage} q",
        what_zh=f"{storage} q 的 dequantize 结果",
    )
