"""Correct: Module.requires_grad_(False), train() via super().train(mode) and backbone.train(False)."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        backbone.requires_grad_(False)
        self.backbone = backbone
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x):
        features = self.backbone(x)
        return self.head(features)

    def train(self, mode=True):
        super().train(mode)
        self.backbone.train(False)
        return self


def make_optimizer(model, lr):
    return torch.optim.SGD(
        filter(lambda p: p.requires_grad, model.parameters()), lr=lr, momentum=0.9
    )
