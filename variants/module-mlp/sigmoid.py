"""Bug: sigmoid between the layers instead of ReLU."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        sizes = [in_features, *hidden]
        self.hidden_layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(sizes[-1], out_features)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        for layer in self.hidden_layers:
            x = self.drop(torch.sigmoid(layer(x)))
        return self.out(x)
