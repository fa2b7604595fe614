"""Correct: model.zero_grad(), a generator expression to move the batch, loss.item() kept early."""


def train_step(model, batch, optimizer, loss_fn):
    device = next(iter(model.parameters())).device
    inputs, targets = (t.to(device) for t in batch)
    model.train(True)
    model.zero_grad()
    loss = loss_fn(model(inputs), targets)
    value = loss.item()
    loss.backward()
    optimizer.step()
    return value
