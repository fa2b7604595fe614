"""Public checks for collate-pad-mask: run them with `grader check collate-pad-mask FILE`."""

import torch

from grader.checks import assert_close, fail, type_name


def _outputs(submission, **kwargs):
    batch = [(torch.tensor([5, 6, 7]), 1), (torch.tensor([8]), 0)]
    result = submission.pad_collate(batch, **kwargs)
    if type(result) not in (tuple, list) or len(result) != 4:
        fail(
            en=f"pad_collate should return (padded, lengths, mask, labels), got {type_name(result)}",
            zh=f"pad_collate 应返回 (padded, lengths, mask, labels)，实际为 {type_name(result)}",
        )
    return result


def test_worked_example(submission):
    """The statement's first example, with the defaults."""
    padded, lengths, mask, labels = _outputs(submission)
    assert_close(padded, torch.tensor([[5, 6, 7], [8, 0, 0]]), what_en="padded", what_zh="padded")
    assert_close(lengths, torch.tensor([3, 1]), what_en="lengths", what_zh="lengths")
    assert_close(
        mask,
        torch.tensor([[True, True, True], [True, False, False]]),
        what_en="mask",
        what_zh="mask",
    )
    assert_close(labels, torch.tensor([1, 0]), what_en="labels", what_zh="labels")


def test_padding_value_and_multiple(submission):
    """The statement's second example: padding_value=-1, pad_to_multiple_of=4."""
    padded, _, mask, _ = _outputs(submission, padding_value=-1, pad_to_multiple_of=4)
    assert_close(
        padded, torch.tensor([[5, 6, 7, -1], [8, -1, -1, -1]]), what_en="padded", what_zh="padded"
    )
    want = torch.tensor([[True, True, True, False], [True, False, False, False]])
    assert_close(mask, want, what_en="mask", what_zh="mask")
