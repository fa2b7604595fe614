"""fix-training-loop, style: a private helper per epoch, statistics.mean, p.grad = None."""

import statistics

import torch


def _clear_grads(model):
    for p in model.parameters():
        p.grad = None


def _run_epoch(model, loader, optimizer, criterion):
    losses = []
    for batch in loader:
        x, y = batch
        _clear_grads(model)
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return statistics.mean(losses)


def train(model, loader, epochs=1, lr=0.1):
    model.train(True)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = torch.nn.MSELoss()
    return [_run_epoch(model, loader, optimizer, criterion) for _ in range(epochs)]
