"""Bug: the batch is used where it is; fine on a CPU-only machine, a crash with the model on a GPU."""


def train_step(model, batch, optimizer, loss_fn):
    x, y = batch
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
