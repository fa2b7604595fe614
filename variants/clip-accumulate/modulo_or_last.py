from torch.nn.utils import clip_grad_norm_


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    model.zero_grad(set_to_none=True)
    n = len(loader)
    out = []
    step = 0
    for x, y in loader:
        step += 1
        loss = loss_fn(model(x), y) / accum_steps
        loss.backward()
        if step % accum_steps and step != n:
            continue
        out.append(float(clip_grad_norm_(model.parameters(), max_norm=max_norm)))
        optimizer.step()
        model.zero_grad(set_to_none=True)
    return out
