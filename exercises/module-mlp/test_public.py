"""Public checks for module-mlp: run them with `grader check module-mlp FILE`."""

import torch

from grader.checks import assert_tensor, expect


def test_example_shape(submission):
    """MLP(4, [8, 6], 3) maps (2, 4) inputs to (2, 3) outputs."""
    model = submission.MLP(4, [8, 6], 3, dropout=0.1)
    assert_tensor(
        model(torch.randn(2, 4)),
        shape=(2, 3),
        dtype=torch.float32,
        what_en="MLP(4, [8, 6], 3)(x)",
        what_zh="MLP(4, [8, 6], 3)(x) 的结果",
    )


def test_example_parameter_count(submission):
    """MLP(4, [8, 6], 3) has 115 parameters, all visible to model.parameters()."""
    model = submission.MLP(4, [8, 6], 3, dropout=0.1)
    got = sum(p.numel() for p in model.parameters())
    expect(
        got == 115,
        en=f"MLP(4, [8, 6], 3) should have 115 parameters, model.parameters() has {got}",
        zh=f"MLP(4, [8, 6], 3) 应有 115 个参数，model.parameters() 中有 {got} 个",
    )
