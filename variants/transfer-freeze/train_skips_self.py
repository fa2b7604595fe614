"""Bug: the train() override sets the head and the backbone but never self.training."""

import torch
from torch import nn


class TransferModel(nn.Module):
    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone
        for p in self.backbone.parameters():
            p.requires_grad = False
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x):
        return self.head(self.backbone(x))

    def train(self, mode=True):
        self.head.train(mode)
        self.backbone.eval()
        return self


def make_optimizer(model, lr):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=0.9)
