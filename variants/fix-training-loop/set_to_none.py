"""Correct: zero_grad(set_to_none=True) at the top of the loop; list of batch losses per epoch."""

import torch
from torch import nn


def train(model, loader, epochs=1, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    model.train()
    history = []
    for _ in range(epochs):
        batch_losses = []
        for inputs, targets in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        history.append(sum(batch_losses) / len(batch_losses))
    return history
