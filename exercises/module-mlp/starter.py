"""module-mlp: build a multilayer perceptron to a given architecture.

Edit this file, then run `grader check module-mlp <this file>` to try the public checks.
"""

import torch
from torch import nn


class MLP(nn.Module):
    """Linear → ReLU → Dropout for each hidden width, then a Linear output layer."""

    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        # TODO: one nn.Linear + ReLU + Dropout(dropout) per hidden width, then the output nn.Linear
        # TODO: register the layers as submodules (a plain Python list is not enough)
        self.layers = [nn.Linear(in_features, out_features)]

    def forward(self, x):
        # TODO: apply the layers in order (no activation after the output layer)
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x
