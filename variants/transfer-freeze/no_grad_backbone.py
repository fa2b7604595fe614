"""Correct: the frozen backbone runs under torch.no_grad(); the optimizer takes model.head's parameters."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone
        for param in backbone.parameters():
            param.requires_grad_(False)
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x):
        with torch.no_grad():
            features = self.backbone(x)
        return self.head(features)

    def train(self, mode=True):
        self.training = mode
        self.head.train(mode)
        self.backbone.eval()
        return self


def make_optimizer(model, lr):
    return torch.optim.SGD(model.head.parameters(), lr=lr, momentum=0.9)
