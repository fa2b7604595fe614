"""Bug: optimizer.step() runs before loss.backward(), so each step uses no (or old) gradients."""


def train_step(model, batch, optimizer, loss_fn):
    device = next(model.parameters()).device
    x, y = batch
    x, y = x.to(device), y.to(device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    optimizer.step()
    loss.backward()
    return loss.item()
