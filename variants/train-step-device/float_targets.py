"""Bug: the targets are cast to float32 while being moved, which breaks class-index targets."""

import torch


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x = x.to(device, torch.float32)
    y = y.to(device, torch.float32)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
