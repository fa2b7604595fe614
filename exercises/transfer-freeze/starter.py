"""transfer-freeze: freeze a pretrained backbone and train a new head.

Edit this file, then run `grader check transfer-freeze <this file>` to try the public checks.
"""

import torch
from torch import nn


class TransferModel(nn.Module):
    """A frozen backbone (kept in eval mode) with a new trainable linear head."""

    def __init__(self, backbone, feature_dim, num_classes):
        super().__init__()
        self.backbone = backbone
        # TODO: freeze every parameter of the backbone
        # TODO: create the head, nn.Linear(feature_dim, num_classes)
        self.head = None

    def forward(self, x):
        # TODO: features from the backbone, then the head
        return self.backbone(x)

    # TODO: override train(self, mode=True) so the backbone always stays in eval mode


def make_optimizer(model, lr):
    """SGD with momentum 0.9 over the trainable parameters only."""
    # TODO: pass only the parameters that require gradients
    return torch.optim.SGD(model.parameters(), lr=lr)
