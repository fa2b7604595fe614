"""Hidden checks for collate-pad-mask: pad a batch of variable-length sequences, with lengths, a
boolean mask and the labels.

Every check builds its batch (a list of ``(sequence, label)`` pairs, as a DataLoader hands a
collate_fn) and its reference before the call, and compares one output only, so one mistake costs
the points of the checks about it:

* the padded values, the padding value, the rounding up to a multiple, the dtype: ``padded``
  (values compared as float64, its dtype only in test_dtype);
* ``lengths``, ``mask`` and ``labels``: each its own check, dtype and shape included;
* the order: every other check uses batches sorted by decreasing length, where sorting changes
  nothing; test_keeps_order uses an unsorted batch;
* the edge cases (a batch of one, equal lengths, empty sequences): shapes and padded values;
* the defaults: a real DataLoader (``num_workers=0``, in this process) calls the learner's
  function with the batch alone, and every batch must equal the learner's own result with the
  defaults spelled out.
"""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import DataLoader

from grader.checks import assert_close, assert_tensor, fail, points, type_name

LABELS = [3, 0, 2, 1, 4, 1, 0, 2]


def token_ids(lengths, seed, dtype=torch.int64):
    """Token ids in 0..5 (0 included: a real element may equal the padding value)."""
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 6, (n,), generator=g).to(dtype) for n in lengths]


def features(lengths, seed, dim=2, dtype=torch.float32):
    """Float feature sequences of shape (L, dim), values exact in float16."""
    g = torch.Generator().manual_seed(seed)
    return [(torch.randint(-8, 9, (n, dim), generator=g) / 4).to(dtype) for n in lengths]


def batch_of(sequences, labels=None):
    labels = LABELS[: len(sequences)] if labels is None else labels
    return list(zip(sequences, labels, strict=True))


def reference(batch, padding_value=0, multiple=1):
    """(padded, lengths, mask, labels) as the statement defines them, on the check's copies."""
    sequences = [s.clone() for s, _ in batch]
    lengths = [len(s) for s in sequences]
    longest = max(lengths)
    total = -(-longest // multiple) * multiple
    first = sequences[0]
    padded = torch.full((len(batch), total, *first.shape[1:]), padding_value, dtype=first.dtype)
    mask = torch.zeros(len(batch), total, dtype=torch.bool)
    for i, s in enumerate(sequences):
        padded[i, : len(s)] = s
        mask[i, : len(s)] = True
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, torch.tensor(lengths, dtype=torch.int64), mask, labels


def call(submission, batch, padding_value=0, multiple=1):
    """The learner's four outputs, with both options spelled out."""
    result = submission.pad_collate(batch, padding_value=padding_value, pad_to_multiple_of=multiple)
    return unpack(result)


def unpack(result):
    if type(result) not in (tuple, list) or len(result) != 4:
        fail(
            en="pad_collate should return a tuple (padded, lengths, mask, labels), got "
            f"{type_name(result)}"
            + (f" of {len(result)} items" if type(result) in (tuple, list) else ""),
            zh="pad_collate 应返回元组 (padded, lengths, mask, labels)，实际返回 "
            f"{type_name(result)}"
            + (f"（{len(result)} 项）" if type(result) in (tuple, list) else ""),
        )
    return tuple(result)


def describe(batch, padding_value=0, multiple=1):
    """'lengths [4, 3, 1], padding_value=0, pad_to_multiple_of=1' for messages."""
    lengths = [len(s) for s, _ in batch]
    return f"lengths {lengths}, padding_value={padding_value}, pad_to_multiple_of={multiple}"


def check_padded_values(padded, expected, where):
    """Shape and values of ``padded``; its dtype is test_dtype's business."""
    assert_tensor(
        padded,
        shape=tuple(expected.shape),
        what_en=f"padded ({where})",
        what_zh=f"padded（{where}）",
    )
    assert_close(
        padded.to(torch.float64),
        expected.to(torch.float64),
        rtol=0,
        atol=0,
        what_en=f"padded ({where})",
        what_zh=f"padded（{where}）",
    )


PADDED_CASES = {
    "ids": lambda: batch_of(token_ids([4, 3, 1], seed=1)),
    "features": lambda: batch_of(features([5, 2, 2], seed=2, dim=3)),
    "ids_five": lambda: batch_of(token_ids([6, 6, 5, 2, 1], seed=3)),
}


@points(1.5)
@pytest.mark.parametrize("case", list(PADDED_CASES))
def test_padded(submission, case):
    """padded is (B, T) or (B, T, D) with T the longest length; row i holds sequence i, then the
    padding value."""
    batch = PADDED_CASES[case]()
    expected = reference(batch)[0]
    padded = call(submission, batch)[0]
    check_padded_values(padded, expected, describe(batch))


@points(1)
@pytest.mark.parametrize("case", ["ids_minus_one", "features_2_5"])
def test_padding_value(submission, case):
    """The positions after each sequence hold padding_value, not 0."""
    if case == "ids_minus_one":
        batch, value = batch_of(token_ids([5, 2, 2], seed=4)), -1
    else:
        batch, value = batch_of(features([3, 1], seed=5)), 2.5
    expected = reference(batch, padding_value=value)[0]
    padded = call(submission, batch, padding_value=value)[0]
    check_padded_values(padded, expected, describe(batch, value))


@points(1.5)
@pytest.mark.parametrize(
    "lengths, multiple",
    [([5, 3], 8), ([8, 6, 1], 8), ([9, 2], 8), ([7, 7, 4], 3)],
    ids=lambda v: str(v).replace(" ", ""),
)
def test_pad_to_multiple(submission, lengths, multiple):
    """T is the longest length rounded up to a multiple of pad_to_multiple_of (8 stays 8)."""
    batch = batch_of(token_ids(lengths, seed=6))
    expected = reference(batch, multiple=multiple)[0]
    padded = call(submission, batch, multiple=multiple)[0]
    if type(padded) is torch.Tensor and padded.dim() >= 2 and padded.shape[1] != expected.shape[1]:
        fail(
            en=f"with {describe(batch, 0, multiple)}, padded should have {expected.shape[1]} "
            f"columns (the longest length {max(lengths)} rounded up to a multiple of {multiple}), "
            f"got {padded.shape[1]}",
            zh=f"{describe(batch, 0, multiple)} 时，padded 应有 {expected.shape[1]} 列"
            f"（最长长度 {max(lengths)} 向上取整到 {multiple} 的倍数），实际为 {padded.shape[1]} 列",
        )
    check_padded_values(padded, expected, describe(batch, 0, multiple))


@points(1)
@pytest.mark.parametrize("case", ["ids", "features"])
def test_lengths(submission, case):
    """lengths is an int64 tensor of shape (B,) holding each sequence's length."""
    batch = PADDED_CASES[case]()
    expected = reference(batch)[1]
    lengths = call(submission, batch)[1]
    assert_close(
        lengths,
        expected,
        what_en=f"lengths ({describe(batch)})",
        what_zh=f"lengths（{describe(batch)}）",
    )


@points(1.5)
@pytest.mark.parametrize(
    "case, multiple",
    [("ids", 1), ("features", 1), ("ids_five", 8)],
    ids=["ids", "features", "ids_multiple_8"],
)
def test_mask(submission, case, multiple):
    """mask is a bool tensor (B, T): True where padded holds a real element, False on padding
    (also in the columns added to reach a multiple). The data contain real zeros."""
    batch = PADDED_CASES[case]()
    expected = reference(batch, multiple=multiple)[2]
    mask = call(submission, batch, multiple=multiple)[2]
    where = describe(batch, 0, multiple)
    assert_tensor(mask, dtype=torch.bool, what_en=f"mask ({where})", what_zh=f"mask（{where}）")
    if mask.shape == expected.shape and torch.equal(mask, ~expected):
        fail(
            en=f"mask ({where}) is inverted: True must mark the real elements and False the "
            "padding (key_padding_mask uses the opposite convention; that is the caller's ~mask)",
            zh=f"mask（{where}）反了：True 应表示真实元素，False 表示补齐位置"
            "（key_padding_mask 的约定相反，那是调用者的 ~mask）",
        )
    assert_close(
        mask,
        expected,
        what_en=f"mask ({where}; True = a real element)",
        what_zh=f"mask（{where}；True 表示真实元素）",
    )


@points(1)
@pytest.mark.parametrize("kind", ["ints", "int64_scalars", "int32_scalars"])
def test_labels(submission, kind):
    """labels is an int64 tensor (B,) in the batch's order, from Python ints or 0-d tensors."""
    values = [7, 2, 9]
    if kind == "ints":
        labels = list(values)
    else:
        dtype = torch.int64 if kind == "int64_scalars" else torch.int32
        labels = [torch.tensor(v, dtype=dtype) for v in values]
    batch = batch_of(token_ids([3, 2, 2], seed=7), labels)
    expected = reference(batch)[3]
    got = call(submission, batch)[3]
    assert_close(
        got,
        expected,
        what_en=f"labels (given as {kind.replace('_', ' ')})",
        what_zh=f"labels（输入为 {kind}）",
    )


@points(1)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.int32, torch.uint8], ids=str)
def test_dtype(submission, dtype):
    """padded keeps the sequences' dtype."""
    if dtype.is_floating_point:
        batch = batch_of(features([3, 2], seed=8, dtype=dtype))
    else:
        batch = batch_of(token_ids([3, 2], seed=8, dtype=dtype))
    padded = call(submission, batch)[0]
    assert_tensor(
        padded,
        dtype=dtype,
        what_en=f"padded for {dtype} sequences (keep their dtype)",
        what_zh=f"{dtype} 序列的 padded（应保持其 dtype）",
    )


@points(0.5)
def test_keeps_order(submission):
    """The outputs keep the batch's order (no sorting by length): row i is sample i. (The mask is
    test_mask's business.)"""
    batch = batch_of([t + 1 for t in token_ids([1, 4, 2, 3], seed=9)], [5, 6, 7, 8])
    want_padded, want_lengths, _, want_labels = reference(batch)
    padded, lengths, _, labels = call(submission, batch)
    where = describe(batch) + ", in this order"
    where_zh = describe(batch) + "，保持这个顺序"
    check_padded_values(padded, want_padded, where)
    for name, got, want in (("lengths", lengths, want_lengths), ("labels", labels, want_labels)):
        as_list = got.tolist() if type(got) is torch.Tensor else got
        if as_list != want.tolist():
            fail(
                en=f"{name} ({where}) should be {want.tolist()}, got {as_list!r}",
                zh=f"{name}（{where_zh}）应为 {want.tolist()}，实际为 {as_list!r}",
            )


EDGE_CASES = {
    "batch_of_one": lambda: batch_of(token_ids([4], seed=10)),
    "equal_lengths": lambda: batch_of(features([3, 3, 3], seed=11)),
    "one_empty": lambda: batch_of(token_ids([2, 1, 0], seed=12)),
    "all_empty": lambda: batch_of(features([0, 0], seed=13)),
}


@points(0.5)
@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_edge_cases(submission, case):
    """A batch of one, equal lengths (no padding), an empty sequence (a row of padding only), and
    only empty sequences (T = 0): padded's shape and values, and the shapes of the other outputs
    that are tensors (their types are the other checks' business)."""
    batch = EDGE_CASES[case]()
    want = reference(batch)
    got = call(submission, batch)
    where = describe(batch)
    check_padded_values(got[0], want[0], where)
    for name, g, w in zip(("lengths", "mask", "labels"), got[1:], want[1:], strict=True):
        if type(g) is torch.Tensor:
            assert_tensor(
                g, shape=tuple(w.shape), what_en=f"{name} ({where})", what_zh=f"{name}（{where}）"
            )


def same(a, b):
    """Whether two outputs of the learner's function are the same (type, dtype, values)."""
    if type(a) is torch.Tensor and type(b) is torch.Tensor:
        return a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if type(a) in (list, tuple) and type(a) is type(b):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@points(0.5)
def test_dataloader_defaults(submission):
    """DataLoader(..., collate_fn=pad_collate) (num_workers=0) calls pad_collate with the batch
    alone: every batch, the short last one too, equals pad_collate(items, padding_value=0,
    pad_to_multiple_of=1)."""
    items = batch_of(token_ids([3, 5, 1, 4, 4, 2, 6], seed=14), LABELS[:7])
    loader = DataLoader(items, batch_size=3, collate_fn=submission.pad_collate)
    batches = list(loader)
    if len(batches) != 3:
        fail(
            en=f"a DataLoader over 7 samples with batch_size=3 should give 3 batches, got {len(batches)}",
            zh=f"7 个样本、batch_size=3 的 DataLoader 应给出 3 个批次，实际为 {len(batches)} 个",
        )
    for k, got in enumerate(batches):
        chunk = items[3 * k : 3 * k + 3]
        explicit = submission.pad_collate(chunk, padding_value=0, pad_to_multiple_of=1)
        if not same(got, explicit):
            fail(
                en=f"batch {k} from the DataLoader (pad_collate called with the batch alone) differs from "
                "pad_collate(batch, padding_value=0, pad_to_multiple_of=1): the defaults should be "
                "padding_value=0 and pad_to_multiple_of=1",
                zh=f"DataLoader 给出的第 {k} 个批次（只用批次调用 pad_collate）与 "
                "pad_collate(batch, padding_value=0, pad_to_multiple_of=1) 不同：默认值应为 "
                "padding_value=0 和 pad_to_multiple_of=1",
            )
