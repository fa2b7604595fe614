"""Correct: functional MSE (F.mse_loss), math.fsum, float() on the mean."""

import math

import torch
import torch.nn.functional as F


def train(model, loader, epochs=1, lr=0.1):
    sgd = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    result = []
    for _ in range(epochs):
        per_batch = []
        for batch in loader:
            x, y = batch
            sgd.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            sgd.step()
            per_batch.append(loss.item())
        result.append(float(math.fsum(per_batch) / len(per_batch)))
    return result
