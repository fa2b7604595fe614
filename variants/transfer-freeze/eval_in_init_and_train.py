"""Correct: the backbone is put in eval mode at construction and again on every train() call."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone.eval()
        for p in self.backbone.parameters():
            p.requires_grad = False
        self.head = nn.Linear(in_features=feature_dim, out_features=num_classes, bias=True)

    def forward(self, x):
        return self.head(self.backbone(x))

    def train(self, mode=True):
        nn.Module.train(self, mode)
        if mode:
            self.backbone.eval()
        return self


def make_optimizer(model, lr):
    trainable = []
    for p in model.parameters():
        if p.requires_grad:
            trainable.append(p)
    return torch.optim.SGD(trainable, lr=lr, momentum=0.9)
