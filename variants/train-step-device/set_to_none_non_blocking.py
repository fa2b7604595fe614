"""Correct: zero_grad(set_to_none=True), non_blocking moves, float(loss.detach())."""


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x = x.to(device, non_blocking=True)
    y = y.to(device=device, non_blocking=True)
    model.train()
    optimizer.zero_grad(set_to_none=True)
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    optimizer.step()
    return float(loss.detach())
