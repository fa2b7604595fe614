"""Public checks for softmax-by-hand: run them with `grader check softmax-by-hand FILE`."""

import torch

from grader.checks import assert_close


def test_example_rows(submission, device):
    """softmax(x) of the worked example: along the last dim, the second row of 1000s included."""
    x = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]], device=device)
    e = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64).exp()
    first = e / e.sum()
    expected = torch.stack([first, torch.full((3,), 1 / 3, dtype=torch.float64)]).float()
    assert_close(
        submission.softmax(x),
        expected.to(device),
        rtol=1e-4,
        atol=1e-6,
        what_en="softmax(x) of the example",
        what_zh="示例中 softmax(x) 的结果",
    )


def test_example_mask(submission, device):
    """An entry of -inf gets probability 0."""
    x = torch.tensor([0.0, float("-inf"), 0.0], device=device)
    assert_close(
        submission.softmax(x),
        torch.tensor([0.5, 0.0, 0.5], device=device),
        what_en="softmax([0, -inf, 0])",
        what_zh="softmax([0, -inf, 0]) 的结果",
    )
