"""Bug: returns np.mean(...) values, NumPy float64 scalars rather than plain Python floats."""

import numpy as np
import torch
from torch import nn


def train(model, loader, epochs=1, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    model.train()
    losses = []
    for _ in range(epochs):
        values = []
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            values.append(loss.item())
        losses.append(np.mean(values))
    return losses
