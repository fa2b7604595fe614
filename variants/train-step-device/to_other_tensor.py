"""Correct: .to(a parameter) moves to that parameter's device (dtype kept for integer targets)."""


def train_step(model, batch, optimizer, loss_fn):
    first = next(model.parameters())
    x, y = batch
    x = x.to(first.device)
    y = y.to(first.device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return float(loss.item())
