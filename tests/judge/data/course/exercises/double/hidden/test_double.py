"""Hidden checks of the grading-engine tests' double exercise.

Canary (must never reach the executor or a result): judge-check-canary-7f3a91
"""

import pytest
import torch
from torch import nn

from grader.checks import assert_close, expect, fail, points

CANARY = "judge-check-canary-7f3a91"


@points(1)
@pytest.mark.parametrize("shape", [(3,), (2, 3)])
def test_tensor(submission, shape):
    torch.manual_seed(0)
    x = torch.randn(shape)
    expected = 2 * x
    assert_close(submission.double(x), expected)


@points(1)
def test_number(submission):
    got = submission.double(21)
    expect(
        type(got) is int and got == 42,
        en=f"double(21) should be 42, got {got!r}",
        zh=f"double(21) 应为 42，实际为 {got!r}",
    )


@points(2)
def test_scale_in_place(submission):
    torch.manual_seed(1)
    layer = nn.Linear(3, 2)
    expected = layer.weight.detach().clone() * 3
    bias = layer.bias.detach().clone()
    result = submission.scale_(layer, 3)
    if type(result) is not nn.Linear:
        fail(
            en=f"scale_ should return the nn.Linear, got {type(result).__name__}",
            zh=f"scale_ 应返回 nn.Linear，实际为 {type(result).__name__}",
        )
    assert_close(
        layer.weight.detach(), expected, what_en="the layer's weight", what_zh="层的 weight"
    )
    assert_close(
        result.weight.detach(),
        expected,
        what_en="the returned layer's weight",
        what_zh="返回的层的 weight",
    )
    assert_close(layer.bias.detach(), bias, what_en="the bias", what_zh="bias")
