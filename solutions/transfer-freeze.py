"""Reference solution for transfer-freeze."""

import torch
from torch import nn


class TransferModel(nn.Module):
    """A frozen backbone (kept in eval mode) with a new trainable linear head."""

    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone
        for p in self.backbone.parameters():
            p.requires_grad = False
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, x):
        return self.head(self.backbone(x))

    def train(self, mode=True):
        super().train(mode)
        self.backbone.eval()
        return self


def make_optimizer(model, lr):
    """SGD with momentum over the trainable parameters only."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(trainable, lr=lr, momentum=0.9)
