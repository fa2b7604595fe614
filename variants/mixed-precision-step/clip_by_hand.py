import math

import torch


def autocast_dtype(device_type):
    if device_type == "cuda":
        return torch.float16
    elif device_type == "cpu":
        return torch.bfloat16
    else:
        raise ValueError("device_type must be 'cpu' or 'cuda'")


def clip_(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    total = math.sqrt(sum(float(g.pow(2).sum()) for g in grads))
    factor = max_norm / (total + 1e-6)
    if factor < 1:
        for g in grads:
            g.mul_(factor)


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    inputs, targets = batch
    for p in model.parameters():
        p.grad = None
    device_type = inputs.device.type
    with torch.autocast(device_type=device_type, dtype=autocast_dtype(device_type)):
        out = model(inputs)
        loss = loss_fn(out, targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    clip_(list(model.parameters()), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
