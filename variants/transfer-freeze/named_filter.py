"""Correct: freeze by walking named_parameters; the optimizer gets a param group dict."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(feature_dim, num_classes)
        for name, p in self.named_parameters():
            if name.startswith("backbone."):
                p.requires_grad = False

    def forward(self, x):
        return self.head(self.backbone(x))

    def train(self, mode=True):
        result = super().train(mode)
        self.backbone.eval()
        return result


def make_optimizer(model, lr):
    group = {"params": [p for p in model.parameters() if p.requires_grad], "momentum": 0.9}
    return torch.optim.SGD([group], lr=lr)
