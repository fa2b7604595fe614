import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    norms = []
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        # bug: clips the running sum after every micro-batch, not once per group
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        if (i + 1) % accum_steps == 0 or i + 1 == len(loader):
            norms.append(norm.item())
            optimizer.step()
            optimizer.zero_grad()
    return norms
