"""Correct: type hints, a _freeze helper, every backbone module set to eval one by one, a print."""

from __future__ import annotations

import torch
from torch import nn


def _freeze(module: nn.Module) -> int:
    count = 0
    for p in module.parameters():
        p.requires_grad = False
        count += p.numel()
    return count


class TransferModel(nn.Module):
    def __init__(self, backbone: nn.Module, feature_dim: int, num_classes: int) -> None:
        super().__init__()
        frozen = _freeze(backbone)
        self.backbone = backbone
        self.head = nn.Linear(feature_dim, num_classes)
        print(
            f"frozen {frozen} backbone weights, training {feature_dim * num_classes + num_classes}"
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))

    def train(self, mode: bool = True) -> TransferModel:
        super().train(mode)
        for m in self.backbone.modules():
            m.training = False
        return self


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(params, lr, momentum=0.9)
