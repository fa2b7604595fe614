"""Public checks for transfer-freeze: run them with `grader check transfer-freeze FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, assert_tensor, expect, in_executor, is_remote


def example(submission):
    """The worked example's model, built on a copy of the backbone that stays with your code."""
    torch.manual_seed(0)
    backbone = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 8))
    return submission.TransferModel(in_executor(backbone), feature_dim=8, num_classes=3)


def test_example_forward_and_freeze(submission):
    """The worked example: frozen backbone, output of shape (5, 3)."""
    model = example(submission)
    flags = [p.requires_grad for p in model.backbone.parameters()]
    expect(
        flags and not any(flags),
        en=f"every backbone parameter should be frozen; requires_grad is {flags}",
        zh=f"主干的每个参数都应被冻结；requires_grad 为 {flags}",
    )
    model.eval()
    assert_tensor(
        model(torch.randn(5, 6)), shape=(5, 3), what_en="model(x)", what_zh="model(x) 的结果"
    )


def test_example_train_mode(submission):
    """model.train() returns the model and keeps the backbone in eval mode; model.eval() puts
    everything in eval mode. (The modes are what your code reports: this check is for you only,
    the graded checks look at outputs.)"""
    model = example(submission)
    got = model.train()
    expect(is_remote(got), en="model.train() should return model", zh="model.train() 应返回 model")
    modes = (model.training, model.head.training, model.backbone.training)
    expect(
        modes == (True, True, False),
        en="after model.train(): expected model.training, model.head.training, "
        f"model.backbone.training == (True, True, False), got {modes}",
        zh="调用 model.train() 后：model.training、model.head.training、model.backbone.training "
        f"应为 (True, True, False)，实际为 {modes}",
    )
    x = torch.randn(5, 6)
    with torch.no_grad():
        in_train = model(x)
        model.eval()
        in_eval = model(x)
    modes = (model.training, model.head.training, model.backbone.training)
    expect(
        modes == (False, False, False),
        en="after model.eval(): expected model.training, model.head.training, "
        f"model.backbone.training == (False, False, False), got {modes}",
        zh="调用 model.eval() 后：model.training、model.head.training、model.backbone.training "
        f"应为 (False, False, False)，实际为 {modes}",
    )
    assert_close(
        in_train,
        in_eval,
        what_en="model(x) after model.train() (BatchNorm should use its running statistics, "
        "as after model.eval())",
        what_zh="调用 model.train() 之后 model(x) 的结果（BatchNorm 应像 model.eval() 之后一样使用 "
        "running 统计量）",
    )
