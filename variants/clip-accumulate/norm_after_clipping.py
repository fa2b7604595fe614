import torch


def grad_norm(model):
    return torch.sqrt(sum((p.grad**2).sum() for p in model.parameters())).item()


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    norms = []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        if (i + 1) % accum_steps == 0 or i + 1 == len(loader):
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            norms.append(grad_norm(model))  # bug: the norm after clipping
            optimizer.step()
            optimizer.zero_grad()
    return norms
