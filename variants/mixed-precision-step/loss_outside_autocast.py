import torch
from torch import nn


def autocast_dtype(device_type):
    if device_type not in ("cpu", "cuda"):
        raise ValueError(device_type)
    return torch.float16 if device_type == "cuda" else torch.bfloat16


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    """Only the model's forward under autocast; the loss (float32 anyway) outside."""
    inputs, targets = batch
    kind = inputs.device.type
    model.zero_grad()
    with torch.autocast(kind, autocast_dtype(kind)):
        outputs = model(inputs)
    loss = loss_fn(outputs, targets)
    scaled = scaler.scale(loss)
    scaled.backward()
    scaler.unscale_(optimizer)
    nn.utils.clip_grad_norm_(model.parameters(), max_norm, foreach=True)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
