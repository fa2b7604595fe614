"""Hidden checks for tensor-broadcast: pairwise squared distances and a coordinate grid.

Values are compared on float64 copies with plain arithmetic. A check about values does not also
fail on a wrong dtype (the dtype checks do that), so one mistake costs the points of its own checks.

The learner's code runs in the executor and gets copies of the inputs (it cannot change the
check's tensors); every reference is computed on the check's own tensors before the call.
"""

from __future__ import annotations

import pytest
import torch

from grader.checks import assert_close, assert_tensor, expect, points


def reference_dists(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Squared distances by the definition, in float64."""
    a64 = a.detach().to(torch.float64)
    b64 = b.detach().to(torch.float64)
    return ((a64.unsqueeze(-2) - b64.unsqueeze(-3)) ** 2).sum(-1)


def make_points(seed: int, a_shape, b_shape, dtype=torch.float32, device="cpu"):
    """Fixed-seed points; a few rows of b repeat rows of a (their distance is 0)."""
    gen = torch.Generator().manual_seed(seed)
    a = torch.randn(a_shape, generator=gen, dtype=torch.float64)
    b = torch.randn(b_shape, generator=gen, dtype=torch.float64)
    n = min(a_shape[-2], b_shape[-2])
    b[..., : n // 2, :] = a[..., : n // 2, :]
    return a.to(dtype).to(device), b.to(dtype).to(device)


def check_dists(submission, a, b):
    """The reference first (on the check's own copies), then the call: exact type and shape, then
    values (compared in float64, whatever the dtype)."""
    expected = reference_dists(a, b)
    out = submission.pairwise_sq_dists(a, b)
    shapes = f"a {tuple(a.shape)}, b {tuple(b.shape)}"
    en = f"pairwise_sq_dists(a, b) for {shapes}"
    zh = f"pairwise_sq_dists(a, b)（{shapes}）"
    got = assert_tensor(out, shape=tuple(expected.shape), what_en=en, what_zh=zh)
    assert_close(
        got.detach().to(torch.float64), expected, rtol=1e-4, atol=1e-4, what_en=en, what_zh=zh
    )


DISTS_2D = {
    "square": ((4, 3), (4, 3)),
    "rect": ((5, 2), (3, 2)),
    "one_feature": ((3, 1), (6, 1)),
    "single_point": ((1, 5), (4, 5)),
}


@points(2)
@pytest.mark.parametrize("case", list(DISTS_2D))
def test_dists_2d(submission, case):
    """2-D inputs (N, D) and (M, D) give the (N, M) squared distances."""
    a_shape, b_shape = DISTS_2D[case]
    a, b = make_points(len(case) * 7, a_shape, b_shape)
    check_dists(submission, a, b)


DISTS_BATCHED = {
    "one_batch_dim": ((3, 5, 2), (3, 4, 2)),
    "two_batch_dims": ((2, 3, 4, 3), (2, 3, 6, 3)),
    "batch_of_one": ((1, 2, 4), (1, 5, 4)),
}


@points(2)
@pytest.mark.parametrize("case", list(DISTS_BATCHED))
def test_dists_batched(submission, case):
    """Leading batch dims are kept: (*, N, D) and (*, M, D) give (*, N, M)."""
    a_shape, b_shape = DISTS_BATCHED[case]
    a, b = make_points(len(case) * 11, a_shape, b_shape)
    check_dists(submission, a, b)


# id -> (a's shape, b's shape): float32 points near (10000, ..., 10000), half of b repeating rows
# of a (2-D only: the batch dims are test_dists_batched's business). There the expansion |a|^2 + |b|^2 - 2 a.b cancels catastrophically: without the clamp the
# statement asks for, coinciding points give -64 or -128 instead of a distance >= 0.
DISTS_FAR = {
    "two_dims": ((8, 5), (8, 5)),
    "rect": ((6, 4), (9, 4)),
}


@points(1)
@pytest.mark.parametrize("case", list(DISTS_FAR))
def test_dists_never_negative(submission, case):
    """Distances are never negative, even for coinciding float32 points far from the origin
        (where the expansion |a|^2 + |b|^2 - 2 a.b rounds below zero unless it is clamped); only the
        sign is checked (not the shape, nor the values: the expansion's rounding error there is large),
    so a mistake another check is about does not cost these points too."""
    a_shape, b_shape = DISTS_FAR[case]
    gen = torch.Generator().manual_seed(3)
    a = torch.randn(a_shape, generator=gen, dtype=torch.float64) + 1e4
    b = torch.randn(b_shape, generator=gen, dtype=torch.float64) + 1e4
    b[..., :4, :] = a[..., :4, :]
    a, b = a.to(torch.float32), b.to(torch.float32)
    shapes = f"float32 a {tuple(a.shape)}, b {tuple(b.shape)}, coordinates near 10000"
    out = submission.pairwise_sq_dists(a, b)
    got = assert_tensor(
        out,
        what_en=f"pairwise_sq_dists(a, b) for {shapes}",
        what_zh=f"pairwise_sq_dists(a, b)（{shapes}）的结果",
    )
    low = float(got.detach().to(torch.float64).nan_to_num(nan=-1.0).min())
    expect(
        low >= 0,
        en=f"pairwise_sq_dists(a, b) for {shapes}, where rows 0-3 of b repeat rows of a: the "
        f"smallest distance is {low}, but distances are never negative (with the expansion "
        "|a|² + |b|² - 2 a·b, clamp the result to >= 0, e.g. .clamp_min(0))",
        zh=f"pairwise_sq_dists(a, b)（{shapes}，b 的第 0-3 行与 a 的行重合）：最小的距离是 {low}，"
        "但距离不会是负数（用展开式 |a|² + |b|² - 2 a·b 时要把结果截到 >= 0，例如 .clamp_min(0)）",
    )


# id -> (a's shape, b's shape, dtype, device); N == M, so that a mistake with the batch dims
# (test_dists_batched's business) need not break this check as well
DISTS_DTYPE_DEVICE = {
    "float64": ((4, 3), (4, 3), torch.float64, "cpu"),
    "float64_batched": ((2, 4, 3), (2, 4, 3), torch.float64, "cpu"),
    "meta_device": ((4, 3), (4, 3), torch.float32, "meta"),
}


@points(1.5)
@pytest.mark.parametrize("case", list(DISTS_DTYPE_DEVICE))
def test_dists_dtype_device(submission, case):
    """The result has the inputs' dtype and device (float64 stays float64, with or without batch
    dims; meta stays meta); shapes and values are other checks' business."""
    a_shape, b_shape, dtype, where = DISTS_DTYPE_DEVICE[case]
    if where == "meta":
        a = torch.empty(a_shape, dtype=dtype, device="meta")
        b = torch.empty(b_shape, dtype=dtype, device="meta")
    else:
        a, b = make_points(5, a_shape, b_shape, dtype=dtype)
    out = submission.pairwise_sq_dists(a, b)
    assert_tensor(
        out,
        dtype=a.dtype,
        device=a.device,
        what_en=f"pairwise_sq_dists of {a.dtype} inputs on {a.device.type}",
        what_zh=f"{a.dtype}、位于 {a.device.type} 的输入的 pairwise_sq_dists 结果",
    )


def reference_grid(height: int, width: int) -> torch.Tensor:
    rows = torch.arange(height, dtype=torch.float64).reshape(height, 1).expand(height, width)
    cols = torch.arange(width, dtype=torch.float64).reshape(1, width).expand(height, width)
    return torch.stack((rows, cols), dim=-1)


def grid_what(height, width, **kw):
    args = ", ".join([str(height), str(width)] + [f"{k}={v}" for k, v in kw.items()])
    return f"coordinate_grid({args})", f"coordinate_grid({args}) 的结果"


@points(2)
@pytest.mark.parametrize("size", [(3, 4), (4, 3), (1, 5), (6, 1), (2, 2)], ids=str)
def test_grid_values(submission, size):
    """grid[i, j] == (i, j), shape (height, width, 2) (values compared whatever the dtype)."""
    height, width = size
    en, zh = grid_what(height, width)
    got = assert_tensor(
        submission.coordinate_grid(height, width),
        shape=(height, width, 2),
        device="cpu",
        what_en=en,
        what_zh=zh,
    )
    assert_close(
        got.detach().to("cpu", torch.float64),
        reference_grid(height, width),
        rtol=0,
        atol=0,
        what_en=en,
        what_zh=zh,
    )


GRID_DTYPES = {
    "default": None,
    "float64": torch.float64,
    "int64": torch.int64,
    "float16": torch.float16,
}


@points(1)
@pytest.mark.parametrize("case", list(GRID_DTYPES))
def test_grid_dtype(submission, case):
    """The grid has the requested dtype (float32 when none is given); shape and values are other
    checks' business."""
    dtype = GRID_DTYPES[case]
    if dtype is None:
        out = submission.coordinate_grid(3, 2)
        en, zh = grid_what(3, 2)
    else:
        out = submission.coordinate_grid(3, 2, dtype=dtype)
        en, zh = grid_what(3, 2, dtype=dtype)
    assert_tensor(out, dtype=dtype or torch.float32, what_en=en, what_zh=zh)


@points(0.5)
@pytest.mark.parametrize("dtype", ["default", "int64"])
def test_grid_device(submission, dtype):
    """The grid is created on the requested device (the meta device here), whether a dtype is
    given too or not; the dtype itself is test_grid_dtype's business."""
    meta = torch.device("meta")
    if dtype == "default":
        en, zh = grid_what(2, 3, device="meta")
        out = submission.coordinate_grid(2, 3, device=meta)
    else:
        en, zh = grid_what(2, 3, dtype=torch.int64, device="meta")
        out = submission.coordinate_grid(2, 3, dtype=torch.int64, device=meta)
    assert_tensor(out, device=meta, what_en=en, what_zh=zh)
