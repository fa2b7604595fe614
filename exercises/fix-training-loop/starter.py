"""fix-training-loop: this training loop runs, but it is wrong in several ways. Fix it.

Run `grader check fix-training-loop <this file>` to try the public checks.
"""

import torch
from torch import nn


def train(model, loader, epochs=1, lr=0.1):
    """Train ``model`` with SGD + MSELoss; return each epoch's mean batch loss as a float."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.MSELoss()
    losses = []
    for epoch in range(epochs):
        total = 0
        for x, y in loader:
            pred = model(x)
            loss = criterion(pred, y)
            loss.backward()
            optimizer.step()
            total += loss
        losses.append(total / len(loader.dataset))
    return losses
