"""Reference solution for clip-accumulate."""

import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    """One pass over ``loader``, one optimizer step per group of ``accum_steps`` micro-batches.

    Returns the total gradient norm of every step, before clipping, as Python floats.
    """
    norms = []
    count = len(loader)
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        if (i + 1) % accum_steps == 0 or i + 1 == count:
            total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            norms.append(total.item())
            optimizer.step()
            optimizer.zero_grad()
    return norms
