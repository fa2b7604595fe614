import torch

DTYPES = {"cuda": torch.float16, "cpu": torch.bfloat16}


def autocast_dtype(device_type):
    try:
        return DTYPES[device_type]
    except KeyError:
        raise ValueError(f"unsupported device type: {device_type}") from None


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    x, y = batch
    device = next(model.parameters()).device
    optimizer.zero_grad(set_to_none=True)
    with torch.amp.autocast(device.type, dtype=autocast_dtype(device.type)):
        prediction = model(x)
        loss = loss_fn(prediction, y)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
    scaler.step(optimizer)
    scaler.update()
    return float(loss.detach())
