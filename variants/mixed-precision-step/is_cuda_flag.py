import torch


def autocast_dtype(device_type):
    if device_type in ("cpu", "cuda"):
        return torch.float16 if device_type == "cuda" else torch.bfloat16
    raise ValueError(f"unknown device type {device_type}")


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    inputs, targets = batch
    device_type = "cuda" if inputs.is_cuda else "cpu"
    optimizer.zero_grad()
    autocast = torch.autocast(device_type, dtype=autocast_dtype(device_type))
    with autocast:
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    result = loss.item()
    scaler.step(optimizer)
    scaler.update()
    return result
