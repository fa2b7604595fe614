"""A correct style: small helpers, torch.amp.autocast by keyword, the norm computed first and the
gradients scaled with it, the output cast to float32 before the loss, float(loss) returned."""

import torch
from torch import nn

_AUTOCAST_DTYPES = (("cuda", torch.float16), ("cpu", torch.bfloat16))


def autocast_dtype(device_type: str) -> torch.dtype:
    for name, dtype in _AUTOCAST_DTYPES:
        if name == device_type:
            return dtype
    raise ValueError(f"autocast_dtype: unsupported device type {device_type!r}")


def _forward(model: nn.Module, inputs, targets, loss_fn):
    kind = inputs.device.type
    with torch.amp.autocast(device_type=kind, dtype=autocast_dtype(kind), enabled=True):
        outputs = model(inputs)
        return loss_fn(outputs.float(), targets)


def _clip(model: nn.Module, max_norm: float) -> None:
    params = [p for p in model.parameters() if p.grad is not None]
    total = torch.nn.utils.get_total_norm([p.grad for p in params])
    torch.nn.utils.clip_grads_with_norm_(params, max_norm, total)


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    inputs, targets = batch
    optimizer.zero_grad(set_to_none=False)
    loss = _forward(model, inputs, targets, loss_fn)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    _clip(model, max_norm)
    scaler.step(optimizer)
    scaler.update()
    return float(loss)
