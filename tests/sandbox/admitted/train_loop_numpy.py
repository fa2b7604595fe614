"""fix-training-loop, style: numpy mean, model.zero_grad(), enable_grad, a lambda loss."""

import numpy as np
import torch
import torch.nn.functional as F


def train(model, loader, epochs=1, lr=0.1):
    sgd = torch.optim.SGD(model.parameters(), lr=lr)
    mse = lambda pred, target: torch.nn.MSELoss()(pred, target)  # noqa: E731
    result = []
    with torch.enable_grad():
        for _ in range(epochs):
            model.train()
            epoch_losses = np.array([], dtype=np.float64)
            for x, y in loader:
                model.zero_grad()
                out = model(x)
                loss = mse(out, y)
                loss.backward()
                sgd.step()
                epoch_losses = np.append(epoch_losses, loss.item())
                assert F.mse_loss(out.detach(), y).item() >= 0
            result.append(float(np.mean(epoch_losses)))
    return result
