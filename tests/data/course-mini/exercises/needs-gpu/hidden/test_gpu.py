import torch

from grader.checks import assert_tensor, points


@points(1)
def test_on_gpu(submission, device):
    assert_tensor(submission.to_gpu(torch.zeros(2)), device=device)
