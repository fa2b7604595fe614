"""Bug: gradients are never zeroed, so they accumulate across steps."""


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x, y = x.to(device), y.to(device)
    model.train()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
