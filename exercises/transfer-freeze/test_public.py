"""Public checks for transfer-freeze: run them with `grader check transfer-freeze FILE`."""

import torch
from torch import nn

from grader.checks import assert_tensor, expect


def test_example_forward_and_freeze(submission):
    """The worked example: frozen backbone, output of shape (5, 3)."""
    torch.manual_seed(0)
    backbone = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 8))
    model = submission.TransferModel(backbone, feature_dim=8, num_classes=3)
    expect(
        model.backbone is backbone,
        "model.backbone should be the given backbone",
        "model.backbone 应当就是传入的 backbone",
    )
    expect(
        not any(p.requires_grad for p in backbone.parameters()),
        "every backbone parameter should be frozen",
        "主干的每个参数都应被冻结",
    )
    model.eval()
    assert_tensor(
        model(torch.randn(5, 6)), shape=(5, 3), what_en="model(x)", what_zh="model(x) 的结果"
    )


def test_example_train_mode(submission):
    """model.train() returns the model and keeps the backbone in eval mode."""
    torch.manual_seed(0)
    backbone = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 8))
    model = submission.TransferModel(backbone, feature_dim=8, num_classes=3)
    expect(
        model.train() is model, "model.train() should return model", "model.train() 应返回 model"
    )
    expect(
        model.training and not backbone.training and not backbone[1].training,
        "after model.train() the model trains but the backbone stays in eval mode",
        "调用 model.train() 后模型处于训练模式，但主干保持 eval 模式",
    )
