"""Reference solution for train-step-device."""


def train_step(model, batch, optimizer, loss_fn):
    """One training step on the model's device; returns the loss as a Python float."""
    device = next(model.parameters()).device
    inputs, targets = batch
    inputs = inputs.to(device)
    targets = targets.to(device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()
