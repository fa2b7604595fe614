"""Correct: a helper Block module (Linear, ReLU, Dropout) composed in a Sequential; prints a summary."""

from torch import nn


class Block(nn.Module):
    def __init__(self, a, b, p):
        super().__init__()
        self.fc = nn.Linear(a, b)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(p)

    def forward(self, x):
        return self.drop(self.act(self.fc(x)))


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        blocks = []
        width = in_features
        for h in hidden:
            blocks.append(Block(width, h, dropout))
            width = h
        self.body = nn.Sequential(*blocks)
        self.head = nn.Linear(width, out_features)
        print("MLP with", sum(p.numel() for p in self.parameters()), "parameters")

    def forward(self, x):
        return self.head(self.body(x))
