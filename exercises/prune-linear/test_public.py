"""Public checks for prune-linear: run them with `grader check prune-linear FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, expect


def test_worked_example(submission, device):
    """The statement's example: the two smallest |w| are zeroed and the same layer comes back."""
    layer = nn.Linear(2, 2, bias=False).to(device)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[0.1, -2.0], [0.5, -0.3]]))
    out = submission.prune_linear(layer, 0.5)
    expect(out is layer, "prune_linear should return the same layer", "prune_linear 应返回同一个层")
    expected = torch.tensor([[0.0, -2.0], [0.5, 0.0]], device=device)
    assert_close(layer.weight.detach(), expected, what_en="layer.weight", what_zh="layer.weight")


def test_no_weight_orig(submission, device):
    """After pruning the layer has no weight_orig left."""
    layer = nn.Linear(4, 3).to(device)
    submission.prune_linear(layer, 0.5)
    expect(
        not hasattr(layer, "weight_orig"),
        "layer.weight_orig is still there: make the pruning permanent",
        "layer.weight_orig 仍然存在：请让剪枝永久生效",
    )
