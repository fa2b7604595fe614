"""Hidden checks of the deny-list tests' probs exercise: two checks, so that a verdict for the
whole submission shows on each of them."""

import torch

from grader.checks import assert_close, points


@points(1)
def test_rows(submission):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    expected = torch.softmax(x, dim=-1)
    assert_close(submission.probs(x, -1), expected)


@points(1)
def test_columns(submission):
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(1))
    expected = torch.softmax(x, dim=0)
    assert_close(submission.probs(x, 0), expected)
