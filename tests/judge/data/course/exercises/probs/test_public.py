import torch

from grader.checks import assert_close


def test_example(submission):
    x = torch.tensor([0.0, 0.0])
    assert_close(submission.probs(x), torch.tensor([0.5, 0.5]))
