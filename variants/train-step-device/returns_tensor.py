"""Bug: returns the loss tensor (keeping its graph alive) instead of a Python float."""


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x, y = x.to(device), y.to(device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss
