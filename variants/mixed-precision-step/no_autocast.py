import torch


def autocast_dtype(device_type):
    if device_type == "cuda":
        return torch.float16
    if device_type == "cpu":
        return torch.bfloat16
    raise ValueError(device_type)


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    inputs, targets = batch
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)  # bug: no autocast, everything in float32
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
