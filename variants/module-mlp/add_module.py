"""Correct: layers registered one by one with add_module and looked up by name."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        self._names = []
        width = in_features
        for i, h in enumerate(hidden):
            self.add_module(f"hidden{i}", nn.Linear(width, h))
            self._names.append(f"hidden{i}")
            width = h
        self.add_module("output", nn.Linear(width, out_features))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        for name in self._names:
            x = self.drop(torch.relu(self.get_submodule(name)(x)))
        return self.get_submodule("output")(x)
