"""Bug: the Linear layers are built without biases."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features, dropout=0.0):
        super().__init__()
        sizes = [in_features, *hidden]
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(a, b, bias=False), nn.ReLU(), nn.Dropout(dropout)]
        layers.append(nn.Linear(sizes[-1], out_features, bias=False))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)
