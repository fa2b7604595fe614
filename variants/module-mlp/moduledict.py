"""Correct: an nn.ModuleDict of layers and one shared ReLU and Dropout module."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        sizes = [in_features, *hidden, out_features]
        self.linears = nn.ModuleDict(
            {f"l{i}": nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)}
        )
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout)
        self.n_layers = len(sizes) - 1

    def forward(self, x):
        for i in range(self.n_layers):
            x = self.linears[f"l{i}"](x)
            if i < self.n_layers - 1:
                x = self.dropout(self.relu(x))
        return x
