"""Collects each group's micro-batches in a list first, then runs the group."""

import torch


def groups(loader, size):
    group = []
    for batch in loader:
        group.append(batch)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    history: list[float] = []
    for p in model.parameters():
        p.grad = None
    for group in groups(loader, accum_steps):
        for x, y in group:
            loss = loss_fn(model(x), y)
            loss.div(accum_steps).backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm, foreach=True)
        history.append(norm.item())
        optimizer.step()
        for p in model.parameters():
            p.grad = None
    return history
