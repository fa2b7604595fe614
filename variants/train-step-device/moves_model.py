"""Bug: moves the model to the batch's device instead of the batch to the model's."""


def train_step(model, batch, optimizer, loss_fn):
    x, y = batch
    model.to(x.device)
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
