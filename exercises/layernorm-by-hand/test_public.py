"""Public checks for layernorm-by-hand: run them with `grader check layernorm-by-hand FILE`."""

import torch

from grader.checks import assert_close

X = [[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]]


def expected(eps):
    x = torch.tensor(X, dtype=torch.float64)
    centered = x - x.mean(-1, keepdim=True)
    var = (centered**2).mean(-1, keepdim=True)  # biased: divided by 4, not 3
    return (centered / torch.sqrt(var + eps)).float()


def test_example_layer_norm(submission, device):
    """layer_norm(x, 4) of the worked example (biased variance)."""
    x = torch.tensor(X, device=device)
    assert_close(
        submission.layer_norm(x, 4),
        expected(1e-5).to(device),
        what_en="layer_norm(x, 4) of the example",
        what_zh="示例中 layer_norm(x, 4) 的结果",
    )


def test_example_eps(submission, device):
    """layer_norm(x, (4,), eps=1.0): eps inside the square root."""
    x = torch.tensor(X, device=device)
    assert_close(
        submission.layer_norm(x, (4,), eps=1.0),
        expected(1.0).to(device),
        what_en="layer_norm(x, (4,), eps=1.0) of the example",
        what_zh="示例中 layer_norm(x, (4,), eps=1.0) 的结果",
    )
