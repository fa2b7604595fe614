"""Hidden checks for dataset-pairs: a map-style Dataset of (features, label) pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from grader.checks import (
    Text,
    assert_close,
    assert_tensor,
    executor_object,
    expect,
    fail,
    points,
    type_name,
)

ROWS = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [-1, 0, 2],
    [3, 3, 1],
]
FLOAT_ROWS = [
    [0.5, -1.25, 2.0, 0.1],
    [3.5, 0.0, -0.75, 1.2],
    [1.0, 2.5, 4.0, -3.3],
    [-2.0, 0.25, 0.5, 7.7],
    [6.0, -6.5, 1.5, 0.3],
    [2.25, 1.75, -0.5, 9.9],
]
LABELS = [3, 0, 2, 1, 4, 1]


def features_of(kind):
    """Features of one input kind and the float64 matrix they stand for (built inside checks)."""
    if kind == "lists_of_ints":
        return [list(r) for r in ROWS], np.array(ROWS, dtype=np.float64)
    if kind == "tuples_of_floats":
        return tuple(tuple(r) for r in FLOAT_ROWS), np.array(FLOAT_ROWS)
    if kind == "tensors_float64":
        return [torch.tensor(r, dtype=torch.float64) for r in FLOAT_ROWS], np.array(FLOAT_ROWS)
    if kind == "tensors_int32":
        return [torch.tensor(r, dtype=torch.int32) for r in ROWS], np.array(ROWS, dtype=np.float64)
    if kind == "ndarrays_float64":
        return [np.array(r, dtype=np.float64) for r in FLOAT_ROWS], np.array(FLOAT_ROWS)
    if kind == "ndarray_2d_int64":
        return np.array(ROWS, dtype=np.int64), np.array(ROWS, dtype=np.float64)
    if kind == "tensor_2d_float64":
        return torch.tensor(FLOAT_ROWS, dtype=torch.float64), np.array(FLOAT_ROWS)
    raise AssertionError(kind)


def labels_of(kind, n):
    values = LABELS[:n]
    if kind == "list":
        return list(values)
    if kind == "tuple":
        return tuple(values)
    if kind == "ndarray_int32":
        return np.array(values, dtype=np.int32)
    if kind == "ndarray_int64":
        return np.array(values, dtype=np.int64)
    raise AssertionError(kind)


def float_dataset(submission, transform=None, with_transform_arg=True):
    """A small dataset of Python-float rows (exact in float32) and list labels."""
    feats = [[float(v) for v in r] for r in ROWS]
    if with_transform_arg:
        return submission.PairDataset(feats, list(LABELS[: len(ROWS)]), transform=transform)
    return submission.PairDataset(feats, list(LABELS[: len(ROWS)]))


def check_x(x, expected_row, what_en, what_zh):
    """x is a float32 1-D tensor equal to the expected row."""
    expected = torch.tensor(expected_row, dtype=torch.float64).to(torch.float32)
    assert_tensor(
        x, shape=tuple(expected.shape), dtype=torch.float32, what_en=what_en, what_zh=what_zh
    )
    assert_close(x, expected, rtol=1e-6, atol=1e-7, what_en=what_en, what_zh=what_zh)


def check_y(y, expected_label, what_en, what_zh):
    """y is an int64 scalar (0-dim) tensor holding the expected label."""
    assert_tensor(y, shape=(), dtype=torch.int64, what_en=what_en, what_zh=what_zh)
    expect(
        int(y) == expected_label,
        en=f"{what_en} should be {expected_label}, got {int(y)}",
        zh=f"{what_zh} 应为 {expected_label}，实际为 {int(y)}",
    )


def values_of(t, what_en, what_zh):
    """The values of a tensor as a flat list of floats (any shape and dtype are accepted here)."""
    if type(t) is not torch.Tensor:
        fail(
            en=f"{what_en} should be a torch.Tensor, got {type(t).__name__}",
            zh=f"{what_zh} 应当是 torch.Tensor，实际为 {type(t).__name__}",
        )
    return [float(v) for v in t.detach().to("cpu", torch.float64).reshape(-1).tolist()]


def check_sample_values(x, y, row, label, what_en, what_zh):
    """x and y hold the sample's values (types and dtypes are checked by other checks)."""
    got_x = values_of(x, f"x of {what_en}", f"{what_zh} 的 x")
    expect(
        got_x == [float(v) for v in row],
        en=f"x of {what_en} should be {[float(v) for v in row]}, got {got_x}",
        zh=f"{what_zh} 的 x 应为 {[float(v) for v in row]}，实际为 {got_x}",
    )
    got_y = values_of(y, f"y of {what_en}", f"{what_zh} 的 y")
    expect(
        got_y == [float(label)],
        en=f"y of {what_en} should be {label}, got {got_y}",
        zh=f"{what_zh} 的 y 应为 {label}，实际为 {got_y}",
    )


def get_pair(ds, i):
    item = ds[i]
    if type(item) is not tuple or len(item) != 2:
        fail(
            en=f"ds[{i}] should return a tuple (x, y), got {type(item).__name__}"
            + (f" of length {len(item)}" if type(item) in (tuple, list) else ""),
            zh=f"ds[{i}] 应当返回元组 (x, y)，实际得到 {type(item).__name__}"
            + (f"（长度 {len(item)}）" if type(item) in (tuple, list) else ""),
        )
    return item


@points(1)
@pytest.mark.parametrize("kind", ["lists_of_ints", "ndarray_2d_int64", "tensor_2d_float64", "one"])
def test_len(submission, kind):
    """len(ds) is the number of samples."""
    if kind == "one":
        feats, labels = [[1.0, 2.0]], [7]
    else:
        feats, _ = features_of(kind)
        labels = labels_of("list", len(feats))
    ds = submission.PairDataset(feats, labels)
    n = len(ds)
    expect(
        n == len(labels),
        en=f"len(ds) should be {len(labels)} for {len(labels)} samples, got {n}",
        zh=f"{len(labels)} 个样本时 len(ds) 应为 {len(labels)}，实际为 {n}",
    )


@points(1.75)
@pytest.mark.parametrize(
    "kind",
    [
        "lists_of_ints",
        "tuples_of_floats",
        "tensors_float64",
        "tensors_int32",
        "ndarrays_float64",
        "ndarray_2d_int64",
        "tensor_2d_float64",
    ],
)
def test_item_x(submission, kind):
    """x is a float32 1-D tensor with the sample's values, whatever the input's type and dtype."""
    feats, matrix = features_of(kind)
    ds = submission.PairDataset(feats, labels_of("list", len(matrix)))
    for i in (0, len(matrix) - 1):
        x, _ = get_pair(ds, i)
        check_x(x, matrix[i].tolist(), f"x of ds[{i}] ({kind})", f"ds[{i}] 的 x（{kind}）")


@points(1.5)
@pytest.mark.parametrize("kind", ["list", "tuple", "ndarray_int32", "ndarray_int64"])
def test_item_y(submission, kind):
    """y is an int64 scalar tensor (shape ()), whatever the labels' container and dtype."""
    feats = [[float(v) for v in r] for r in ROWS]
    ds = submission.PairDataset(feats, labels_of(kind, len(feats)))
    for i in range(len(feats)):
        _, y = get_pair(ds, i)
        check_y(y, LABELS[i], f"y of ds[{i}] (labels: {kind})", f"ds[{i}] 的 y（标签：{kind}）")


@points(1)
def test_negative_index(submission):
    """ds[-1] is the last sample and ds[-len(ds)] the first."""
    ds = float_dataset(submission)
    n = len(ROWS)
    for i, j in ((-1, n - 1), (-2, n - 2), (-n, 0)):
        x, y = get_pair(ds, i)
        check_sample_values(
            x, y, ROWS[j], LABELS[j], f"ds[{i}] (sample {j})", f"ds[{i}]（第 {j} 个样本）"
        )


@points(1)
def test_index_error(submission):
    """Indices out of range raise IndexError, so `for x, y in ds` stops after len(ds) samples."""
    ds = float_dataset(submission)
    n = len(ROWS)
    for i in (n, n + 3, -n - 1):
        try:
            ds[i]
        except IndexError:
            continue
        except Exception as exc:
            fail(
                en=f"ds[{i}] with {n} samples should raise IndexError, got {type(exc).__name__}: {exc}",
                zh=f"共 {n} 个样本时 ds[{i}] 应当抛出 IndexError，实际抛出 {type(exc).__name__}：{exc}",
            )
        fail(
            en=f"ds[{i}] with {n} samples should raise IndexError, but it returned a value",
            zh=f"共 {n} 个样本时 ds[{i}] 应当抛出 IndexError，但它返回了一个值",
        )
    count = sum(1 for _ in itertools.islice(iter(ds), n + 5))
    expect(
        count == n,
        en=f"iterating `for x, y in ds` should give {n} samples, got {count}",
        zh=f"`for x, y in ds` 遍历应得到 {n} 个样本，实际得到 {count} 个",
    )


@points(1.5)
@pytest.mark.parametrize("case", ["more_features", "more_labels", "ndarray_2d"])
def test_length_mismatch(submission, case):
    """PairDataset raises ValueError when the numbers of features and labels differ."""
    if case == "more_features":
        feats, labels = [[1.0, 2.0]] * 4, [0, 1, 2]
    elif case == "more_labels":
        feats, labels = [[1.0, 2.0]] * 2, [0, 1, 2]
    else:
        feats, labels = np.zeros((5, 3)), np.array([1, 2, 3, 4], dtype=np.int64)
    try:
        submission.PairDataset(feats, labels)
    except ValueError:
        return
    except Exception as exc:
        fail(
            en=f"{len(feats)} features and {len(labels)} labels should raise ValueError, "
            f"got {type(exc).__name__}: {exc}",
            zh=f"{len(feats)} 个特征、{len(labels)} 个标签时应当抛出 ValueError，"
            f"实际抛出 {type(exc).__name__}：{exc}",
        )
    fail(
        en=f"{len(feats)} features and {len(labels)} labels should raise ValueError, "
        f"but PairDataset accepted them",
        zh=f"{len(feats)} 个特征、{len(labels)} 个标签时应当抛出 ValueError，但 PairDataset 接受了它们",
    )


TRANSFORM_SCALE = 2.0
TRANSFORM_STEP = 100.0


def transformed(row, calls_before, dtype=torch.float32):
    """What the grader's counting transform returns when its input is ``row`` as a ``dtype``
    tensor and it has been called ``calls_before`` times already."""
    x = torch.tensor(row, dtype=torch.float64).to(dtype).to(torch.float64)
    return x * TRANSFORM_SCALE + calls_before * TRANSFORM_STEP


def diagnose_transformed(x, row, k):
    """Why x is not ``transformed(row, k)``: a reason, from its values alone."""
    a = x.detach().to(torch.float64)
    if torch.equal(a, transformed(row, k, torch.float64)):
        return Text(
            zh="传给 transform 的是 float64 张量：应先把 x 转成 float32，再对它调用 transform",
            en="the transform was given a float64 tensor: convert x to float32 first, then call "
            "the transform on it",
        )
    offsets = (a - transformed(row, 0)) / TRANSFORM_STEP
    before = round(float(offsets[0])) if offsets.numel() else k
    if before != k and torch.equal(a, transformed(row, before)):
        return Text(
            zh=f"在这次访问之前 transform 已被调用了 {before} 次，应为 {k} 次："
            "每次 ds[i] 恰好调用一次，且只在 __getitem__ 里调用",
            en=f"the transform had already been called {before} times before this access, "
            f"expected {k}: call it exactly once per ds[i], inside __getitem__ only",
        )
    row32 = transformed(row, 0) / TRANSFORM_SCALE
    twice = (a - row32 * TRANSFORM_SCALE**2) / TRANSFORM_STEP
    m = round(float(twice[0])) if twice.numel() else 0
    if torch.equal(a, row32 * TRANSFORM_SCALE**2 + m * TRANSFORM_STEP):
        return Text(
            zh="这个样本被 transform 变换了两次（在 __init__ 里一次，在 __getitem__ 里又一次？）："
            "每次 ds[i] 恰好调用一次，且只在 __getitem__ 里调用",
            en="the transform was applied twice to this sample (in __init__ and again in "
            "__getitem__?): call it exactly once per ds[i], inside __getitem__ only",
        )
    return Text(
        zh="这不是对 float32 的 x 调用一次 transform 得到的值（是不是调用了不止一次，或者改动了它的结果？）",
        en="these are not the values of one call of the transform on the float32 x (was it "
        "applied more than once, or its result changed?)",
    )


@points(1.25)
def test_transform(submission):
    """ds[i] calls the transform exactly once, with the float32 1-D x (never in __init__), and
    returns its result as is; y is not transformed. The grader's transform returns a new float64
    tensor whose values count the calls made before it: x * 2 + 100 * (calls so far)."""
    transform = executor_object("dataset_pairs_counting_transform", TRANSFORM_SCALE, TRANSFORM_STEP)
    feats = [list(r) for r in FLOAT_ROWS]
    ds = submission.PairDataset(feats, list(LABELS), transform=transform)
    for k, i in enumerate((1, 1, 4, 0)):
        x, y = get_pair(ds, i)
        what_en, what_zh = f"x of ds[{i}] (access #{k + 1})", f"ds[{i}] 的 x（第 {k + 1} 次访问）"
        if type(x) is not torch.Tensor:
            fail(
                en=f"{what_en} should be the transform's result as is, a float64 tensor; got "
                f"{type_name(x)} (was the transform given a float32 tensor?)",
                zh=f"{what_zh} 应当原样是 transform 的结果，即 float64 张量；实际为 {type_name(x)}"
                "（传给 transform 的是 float32 张量吗？）",
            )
        if x.dtype != torch.float64:
            fail(
                en=f"{what_en} has dtype {x.dtype}, but the transform returns float64: call the "
                "transform and return its result as is (no .float() or other conversion after it)",
                zh=f"{what_zh} 的 dtype 为 {x.dtype}，而 transform 返回的是 float64："
                "要调用 transform 并原样返回它的结果（之后不要 .float() 或做其他转换）",
            )
        expected = transformed(FLOAT_ROWS[i], k)
        assert_tensor(x, shape=tuple(expected.shape), what_en=what_en, what_zh=what_zh)
        if not torch.equal(x, expected):
            why = diagnose_transformed(x, FLOAT_ROWS[i], k)
            fail(en=f"{what_en}: {why.en}", zh=f"{what_zh}：{why.zh}")
        got_y = values_of(y, f"y of ds[{i}]", f"ds[{i}] 的 y")
        expect(
            got_y == [float(LABELS[i])],
            en=f"y of ds[{i}] should be {LABELS[i]} (not transformed), got {got_y}",
            zh=f"ds[{i}] 的 y 应为 {LABELS[i]}（不做变换），实际为 {got_y}",
        )
    ds_plain = float_dataset(submission, with_transform_arg=False)
    x, _ = get_pair(ds_plain, 0)
    got_x = values_of(x, "x of ds[0] without a transform", "没有 transform 时 ds[0] 的 x")
    expect(
        got_x == [float(v) for v in ROWS[0]],
        en=f"x of ds[0] without a transform should be {ROWS[0]}, got {got_x}",
        zh=f"没有 transform 时 ds[0] 的 x 应为 {ROWS[0]}，实际为 {got_x}",
    )


@points(1)
@pytest.mark.parametrize("kind", ["lists_of_ints+ndarray_int32", "ndarray_2d_int64+list"])
def test_dataloader(submission, kind):
    """DataLoader(ds, batch_size=4) gives x (B, D) float32 and y (B,) int64 batches, in order."""
    feat_kind, label_kind = kind.split("+")
    base, _ = features_of(feat_kind)
    matrix = np.concatenate([np.asarray(base, dtype=np.float64)] * 2)[:9]
    feats = (
        [list(r) for r in matrix.astype(np.int64)]
        if feat_kind == "lists_of_ints"
        else (matrix.astype(np.int64))
    )
    labels_all = (LABELS * 2)[:9]
    labels = np.array(labels_all, dtype=np.int32) if label_kind == "ndarray_int32" else labels_all
    ds = submission.PairDataset(feats, labels)
    batches = list(DataLoader(ds, batch_size=4))
    sizes = [4, 4, 1]
    expect(
        len(batches) == len(sizes),
        en=f"9 samples with batch_size=4 should give 3 batches, got {len(batches)}",
        zh=f"9 个样本、batch_size=4 应得到 3 个批次，实际得到 {len(batches)} 个",
    )
    start = 0
    for k, (batch, size) in enumerate(zip(batches, sizes)):
        if type(batch) not in (list, tuple) or len(batch) != 2:
            fail(
                en=f"batch {k} should be a pair [x, y], got {type(batch).__name__}",
                zh=f"第 {k} 个批次应为 [x, y] 二元组，实际为 {type(batch).__name__}",
            )
        xb, yb = batch
        expected_x = torch.tensor(matrix[start : start + size], dtype=torch.float32)
        expected_y = torch.tensor(labels_all[start : start + size], dtype=torch.int64)
        assert_close(xb, expected_x, what_en=f"x of batch {k}", what_zh=f"第 {k} 个批次的 x")
        assert_close(yb, expected_y, what_en=f"y of batch {k}", what_zh=f"第 {k} 个批次的 y")
        start += size
