"""Hidden checks for softmax-by-hand: a numerically stable softmax along any dim.

The exercise's deny: list (torch.softmax, F.softmax, x.softmax, the log_ versions, nn.Softmax,
...) is enforced by the grader before any check runs; these checks are about the function's
contract. Values are compared on float64 CPU copies against torch's own softmax of the check's
input (computed before the call), so a check about values does not also fail on a wrong dtype
(test_dtype_and_shape does that), and each requirement of the statement has its own check.
"""

from __future__ import annotations

import pytest
import torch

from grader.checks import assert_close, assert_tensor, expect, gradcheck64, points

RTOL = 1e-4
"""float32 results are accepted (their dtype is test_dtype_and_shape's business)."""
ATOL = 1e-6


def reference(x: torch.Tensor, dim: int) -> torch.Tensor:
    """The expected probabilities, in float64 on the CPU (the check's own computation)."""
    return torch.softmax(x.detach().to("cpu", torch.float64), dim=dim)


def call(submission, x: torch.Tensor, dim: int | None) -> object:
    return submission.softmax(x) if dim is None else submission.softmax(x, dim=dim)


def check_values(submission, x: torch.Tensor, dim: int | None, what_en: str, what_zh: str):
    """The reference first, then the call: exact type and shape, then the values. Returns the
    result as a float64 CPU copy."""
    expected = reference(x, -1 if dim is None else dim)
    out = call(submission, x, dim)
    got = assert_tensor(out, shape=tuple(x.shape), what_en=what_en, what_zh=what_zh)
    got64 = got.detach().to("cpu", torch.float64)
    assert_close(got64, expected, rtol=RTOL, atol=ATOL, what_en=what_en, what_zh=what_zh)
    return got64


def make_input(seed: int, shape, dtype=torch.float64, scale: float = 2.0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=torch.float64).mul(scale).to(dtype)


LAST_DIM = {
    "vector": (7,),
    "matrix": (4, 5),
    "batch": (2, 3, 6),
    "single_column": (5, 1),
}


@points(2)
@pytest.mark.parametrize("case", list(LAST_DIM))
def test_last_dim(submission, device, case):
    """softmax(x, dim=-1) for 1-D, 2-D and 3-D inputs: every group along the last dim."""
    shape = LAST_DIM[case]
    x = make_input(len(case) * 3, shape).to(device)
    check_values(
        submission,
        x,
        -1,
        f"softmax(x, dim=-1) for x of shape {shape}",
        f"形状为 {shape} 的 x 的 softmax(x, dim=-1)",
    )


DEFAULT_DIM = {"matrix": (3, 5), "batch": (2, 4, 3)}


@points(1)
@pytest.mark.parametrize("case", list(DEFAULT_DIM))
def test_default_dim(submission, device, case):
    """softmax(x) without dim works along the last dim."""
    shape = DEFAULT_DIM[case]
    x = make_input(len(case) * 5, shape).to(device)
    check_values(
        submission,
        x,
        None,
        f"softmax(x) (no dim) for x of shape {shape}, which is along dim -1",
        f"形状为 {shape} 的 x 的 softmax(x)（不给 dim，即沿 dim -1）",
    )


OTHER_DIMS = {
    "dim0_matrix": ((4, 5), 0),
    "dim1_batch": ((2, 3, 4), 1),
    "dim0_batch": ((3, 2, 4), 0),
    "dim_minus2": ((2, 5, 3), -2),
}


@points(2)
@pytest.mark.parametrize("case", list(OTHER_DIMS))
def test_other_dims(submission, device, case):
    """softmax(x, dim) along a dim that is not the last one (positive and negative dims)."""
    shape, dim = OTHER_DIMS[case]
    x = make_input(len(case) * 7, shape).to(device)
    check_values(
        submission,
        x,
        dim,
        f"softmax(x, dim={dim}) for x of shape {shape}",
        f"形状为 {shape} 的 x 的 softmax(x, dim={dim})",
    )


LARGE = {
    "all_large": ((4, 6), 1000.0),
    "all_small": ((4, 6), -1000.0),
    "batch_large": ((2, 3, 5), 500.0),
}


@points(1.5)
@pytest.mark.parametrize("case", list(LARGE))
def test_large_inputs(submission, device, case):
    """Entries far from 0 (float32 around +1000, -1000, +500): exp must not overflow to inf or
    underflow every entry of a group to 0."""
    shape, offset = LARGE[case]
    x = (make_input(len(case) * 11, shape, scale=3.0) + offset).to(torch.float32).to(device)
    check_values(
        submission,
        x,
        -1,
        f"softmax(x, dim=-1) for float32 x of shape {shape} with entries near {offset:g}",
        f"形状为 {shape}、元素都在 {offset:g} 附近的 float32 x 的 softmax(x, dim=-1)",
    )


SCALES = {
    "rows": ((4, 5), [750.0, -750.0, 0.0, 300.0]),
    "batch": ((2, 3, 5), [[750.0, 0.0, -750.0], [-300.0, 300.0, 5.0]]),
}


@points(1)
@pytest.mark.parametrize("case", list(SCALES))
def test_rows_of_different_scale(submission, device, case):
    """Groups of one tensor with very different ranges (float64, +750 and -750 in one tensor):
    each group needs its own shift; one shift for the whole tensor makes some group inf or 0/0."""
    shape, offsets = SCALES[case]
    shift = torch.tensor(offsets, dtype=torch.float64).unsqueeze(-1)
    x = (make_input(len(case) * 13, shape, scale=1.0) + shift).to(device)
    check_values(
        submission,
        x,
        -1,
        f"softmax(x, dim=-1) for x of shape {shape} whose rows lie near {offsets}",
        f"各行分别在 {offsets} 附近、形状为 {shape} 的 x 的 softmax(x, dim=-1)",
    )


@points(0.5)
def test_masked_entries(submission, device):
    """Entries equal to -inf get probability exactly 0; the others share all of it."""
    x = make_input(17, (3, 5))
    mask = torch.tensor(
        [
            [False, True, False, True, False],
            [True, True, True, False, True],
            [False, False, False, False, True],
        ]
    )
    x = x.masked_fill(mask, float("-inf")).to(device)
    got = check_values(
        submission,
        x,
        -1,
        "softmax(x, dim=-1) for x with -inf entries",
        "含有 -inf 元素的 x 的 softmax(x, dim=-1)",
    )
    zeros = got[mask]
    expect(
        bool((zeros == 0).all()),
        en=f"the -inf entries must get probability exactly 0, got {zeros.tolist()}",
        zh=f"-inf 元素的概率必须恰好为 0，实际为 {zeros.tolist()}",
    )


DTYPES = {
    "float32": ((3, 4), torch.float32, -1),
    "float64": ((2, 3, 4), torch.float64, 1),
}


@points(1)
@pytest.mark.parametrize("case", list(DTYPES))
def test_dtype_and_shape(submission, device, case):
    """The result is a plain tensor with the shape, dtype and device of x."""
    shape, dtype, dim = DTYPES[case]
    x = make_input(len(case) * 19, shape, dtype=dtype).to(device)
    assert_tensor(
        submission.softmax(x, dim=dim),
        shape=shape,
        dtype=dtype,
        device=device,
        what_en=f"softmax(x, dim={dim}) for {case} x of shape {shape}",
        what_zh=f"形状为 {shape} 的 {case} x 的 softmax(x, dim={dim})",
    )


GRADIENT = {"last_dim": ((3, 4), -1), "dim0": ((4, 3), 0)}


@points(1)
@pytest.mark.parametrize("case", list(GRADIENT))
def test_gradient(submission, device, case):
    """Gradients flow through the result: it requires grad when x does, and autograd's
    gradients match numerical ones (no detach, no in-place change of x)."""
    shape, dim = GRADIENT[case]
    x = make_input(len(case) * 23, shape).to(device).requires_grad_(True)
    y = submission.softmax(x, dim=dim)  # an error of the learner's code shows its traceback
    got = assert_tensor(y, shape=shape, what_en="softmax(x, dim)", what_zh="softmax(x, dim)")
    expect(
        bool(got.requires_grad),
        en="softmax(x) of an x with requires_grad=True must require grad too (was the result "
        "detached, or computed under torch.no_grad()?)",
        zh="x 的 requires_grad=True 时，softmax(x) 也必须 requires_grad（结果是否被 detach，"
        "或在 torch.no_grad() 下计算？）",
    )
    gradcheck64(lambda t: submission.softmax(t, dim=dim), (x,), what=f"softmax(x, dim={dim})")
