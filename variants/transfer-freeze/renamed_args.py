"""Buggy: the constructor's parameters are named after nn.Linear's (in_features, out_features),
not the statement's feature_dim and num_classes; right when called positionally, a TypeError
for TransferModel(backbone, feature_dim=8, num_classes=3) as the statement's example writes it."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, in_features, out_features):
        super().__init__()
        self.backbone = backbone
        for p in self.backbone.parameters():
            p.requires_grad = False
        self.head = nn.Linear(in_features, out_features)

    def forward(self, x):
        return self.head(self.backbone(x))

    def train(self, mode=True):
        super().train(mode)
        self.backbone.eval()
        return self


def make_optimizer(model, lr):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=0.9)
