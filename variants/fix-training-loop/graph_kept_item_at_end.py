"""Bug: accumulates the loss tensor and calls .item() only at the end of the epoch: the result is
right, but every step's graph stays alive until then."""

import torch
from torch import nn


def train(model, loader, epochs=1, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            total = total + loss
        losses.append(total.item() / len(loader))
    return losses
