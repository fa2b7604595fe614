import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    norms = []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        optimizer.step()  # bug: steps after every micro-batch
        if (i + 1) % accum_steps == 0 or i + 1 == len(loader):
            norms.append(norm.item())
            optimizer.zero_grad()
    return norms
