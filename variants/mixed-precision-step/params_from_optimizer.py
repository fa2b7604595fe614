import torch


def autocast_dtype(device_type: str) -> torch.dtype:
    match = {"cuda": torch.float16, "cpu": torch.bfloat16}.get(device_type)
    if match is None:
        raise ValueError(f"no autocast dtype for {device_type!r}")
    return match


def _params(optimizer):
    return [p for group in optimizer.param_groups for p in group["params"]]


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm: float = 1.0) -> float:
    inputs, targets = batch
    optimizer.zero_grad()
    dtype = autocast_dtype(inputs.device.type)
    with torch.autocast(device_type=inputs.device.type, dtype=dtype, enabled=True):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(_params(optimizer), max_norm)
    scaler.step(optimizer)
    scaler.update()
    value = loss.item()
    print(f"loss {value:.4f}, scale {scaler.get_scale():g}")
    return value
