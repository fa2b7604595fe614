import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    optimizer.zero_grad()
    norms = []
    micro = 0
    total = len(loader)
    for x, y in loader:
        micro += 1
        loss = loss_fn(model(x), y)
        (loss / accum_steps).backward()
        end_of_group = micro % accum_steps == 0 or micro == total
        if not end_of_group:
            continue
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
        coef = torch.clamp(max_norm / (norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef)
        print(f"step {len(norms)}: norm {norm.item():.4f}")
        norms.append(norm.item())
        optimizer.step()
        optimizer.zero_grad()
    return norms
