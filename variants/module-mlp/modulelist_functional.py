"""Correct: hidden layers in an nn.ModuleList, the output layer registered first, F.relu/F.dropout."""

import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        widths = [in_features] + list(hidden)
        self.out = nn.Linear(widths[-1], out_features)
        self.hidden_layers = nn.ModuleList(
            nn.Linear(widths[i], widths[i + 1]) for i in range(len(hidden))
        )
        self.p = dropout

    def forward(self, x):
        for layer in self.hidden_layers:
            x = F.dropout(F.relu(layer(x)), p=self.p, training=self.training)
        return self.out(x)
