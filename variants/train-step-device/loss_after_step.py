"""Bug: reports a loss recomputed after the update, not the one the step used."""

import torch


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x, y = x.to(device), y.to(device)
    model.train()
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x), y).item()
