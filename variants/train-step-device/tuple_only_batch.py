"""Buggy: a defensive check that refuses a list batch, though the statement says a batch may be a
tuple or a list (a DataLoader over a TensorDataset yields lists)."""


def train_step(model, batch, optimizer, loss_fn):
    if not isinstance(batch, tuple) or len(batch) != 2:
        raise TypeError("batch must be a tuple (inputs, targets)")
    device = next(model.parameters()).device
    inputs, targets = batch
    inputs, targets = inputs.to(device), targets.to(device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()
