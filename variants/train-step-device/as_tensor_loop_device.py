"""Correct: the device from a loop over parameters, torch.as_tensor to move, set_to_none=False."""

import torch


def train_step(model, batch, optimizer, loss_fn):
    device = None
    for p in model.parameters():
        device = p.device
        break
    inputs = torch.as_tensor(batch[0], device=device)
    targets = torch.as_tensor(batch[1], device=device)
    model.train()
    optimizer.zero_grad(set_to_none=False)
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()
