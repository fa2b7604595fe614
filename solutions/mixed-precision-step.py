"""Reference solution for mixed-precision-step."""

import torch


def autocast_dtype(device_type):
    """The autocast dtype for a device type: float16 on CUDA, bfloat16 on the CPU."""
    if device_type == "cuda":
        return torch.float16
    if device_type == "cpu":
        return torch.bfloat16
    raise ValueError(f"no autocast dtype for device type {device_type!r}")


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    """One mixed-precision training step; returns this step's loss as a Python float."""
    inputs, targets = batch
    device_type = inputs.device.type
    optimizer.zero_grad()
    with torch.autocast(device_type=device_type, dtype=autocast_dtype(device_type)):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
