"""Correct: model.zero_grad(), enumerate, divides by len(loader)."""

import torch
import torch.nn as nn


def train(model, loader, epochs=1, lr=0.1):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    mse = nn.MSELoss()
    out = []
    for epoch in range(epochs):
        running = 0.0
        for _step, (x, y) in enumerate(loader):
            model.zero_grad()
            pred = model(x)
            loss = mse(pred, y)
            loss.backward()
            opt.step()
            running += float(loss.item())
        out.append(running / len(loader))
        print(f"epoch {epoch}: loss {out[-1]:.4f}")
    return out
