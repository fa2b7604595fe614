from torch import nn


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    """Uses get_total_norm and clip_grads_with_norm_ (the two halves of clip_grad_norm_)."""
    last = len(loader) - 1
    result = []
    optimizer.zero_grad(set_to_none=False)
    for i, batch in enumerate(loader):
        inputs, targets = batch
        scaled = loss_fn(model(inputs), targets) * (1.0 / accum_steps)
        scaled.backward()
        if (i + 1) % accum_steps == 0 or i == last:
            grads = [p.grad for p in model.parameters() if p.grad is not None]
            norm = nn.utils.get_total_norm(grads, norm_type=2.0)
            nn.utils.clip_grads_with_norm_(model.parameters(), max_norm, norm)
            result.append(norm.item())
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
    return result
