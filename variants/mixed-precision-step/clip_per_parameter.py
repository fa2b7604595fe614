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
    with torch.autocast(inputs.device.type, dtype=autocast_dtype(inputs.device.type)):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    for p in model.parameters():
        # bug: clips each parameter's gradient on its own, not their total norm
        torch.nn.utils.clip_grad_norm_(p, max_norm)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
