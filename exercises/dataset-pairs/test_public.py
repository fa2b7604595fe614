"""Public checks for dataset-pairs: run them with `grader check dataset-pairs FILE`."""

import torch

from grader.checks import assert_close, executor_object, expect


def test_len_and_first_item(submission):
    """len(ds) counts the samples; ds[0] is (float32 x, int64 scalar y)."""
    ds = submission.PairDataset([[1, 2], [3, 4], [5, 6]], [0, 1, 0])
    expect(
        len(ds) == 3,
        en=f"len(ds) should be 3, got {len(ds)}",
        zh=f"len(ds) 应为 3，实际为 {len(ds)}",
    )
    x, y = ds[0]
    assert_close(x, torch.tensor([1.0, 2.0]), what_en="x of ds[0]", what_zh="ds[0] 的 x")
    assert_close(y, torch.tensor(0), what_en="y of ds[0]", what_zh="ds[0] 的 y")


def test_transform(submission):
    """The transform is applied to x (here the grader's `x * 10 + 0`, standing in for
    `lambda t: t * 10`: a function written in a check cannot be handed to your code)."""
    times_ten = executor_object("Affine", 10.0, 0.0)
    ds = submission.PairDataset([[1, 2]], [1], transform=times_ten)
    x, _ = ds[0]
    assert_close(x, torch.tensor([10.0, 20.0]), what_en="x of ds[0]", what_zh="ds[0] 的 x")
