"""Public checks for prune-linear: run them with `grader check prune-linear FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, expect, type_name


def test_worked_example(submission, device):
    """The statement's example: the two smallest |w| of the given layer are zeroed, and the layer
    that comes back has the same pruned weight."""
    layer = nn.Linear(2, 2, bias=False).to(device)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[0.1, -2.0], [0.5, -0.3]]))
    expected = torch.tensor([[0.0, -2.0], [0.5, 0.0]], device=device)
    out = submission.prune_linear(layer, 0.5)
    assert_close(
        layer.weight.detach(),
        expected,
        what_en="layer.weight after the call (prune the given layer in place)",
        what_zh="调用后的 layer.weight（应原地剪枝传入的层）",
    )
    expect(
        type(out) is nn.Linear,
        en=f"prune_linear should return the layer it was given, got {type_name(out)}",
        zh=f"prune_linear 应当返回传入的层，实际返回 {type_name(out)}",
    )
    assert_close(
        out.weight.detach(),
        expected,
        what_en="the returned layer's weight",
        what_zh="返回的层的 weight",
    )


def test_no_weight_orig(submission, device):
    """After pruning the layer has no weight_orig left."""
    layer = nn.Linear(4, 3).to(device)
    submission.prune_linear(layer, 0.5)
    expect(
        not hasattr(layer, "weight_orig"),
        en="layer.weight_orig is still there: make the pruning permanent",
        zh="layer.weight_orig 仍然存在：请让剪枝永久生效",
    )
