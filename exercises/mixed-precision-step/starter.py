"""mixed-precision-step: one training step under torch.autocast, with a GradScaler.

Edit this file, then run `grader check mixed-precision-step <this file>` to try the public checks.
"""

import torch


def autocast_dtype(device_type):
    """The autocast dtype for a device type: float16 on CUDA, bfloat16 on the CPU."""
    # TODO: float16 for "cuda", bfloat16 for "cpu", ValueError for anything else
    return torch.float32


def amp_train_step(model, batch, optimizer, loss_fn, scaler, max_norm=1.0):
    """One mixed-precision training step; returns this step's loss as a Python float."""
    inputs, targets = batch
    optimizer.zero_grad()
    # TODO: run the forward pass and the loss under torch.autocast(device_type, dtype=...)
    loss = loss_fn(model(inputs), targets)
    # TODO: backward on the scaled loss, unscale the gradients, then clip them to max_norm
    loss.backward()
    # TODO: step and update through the scaler (it skips a step whose gradients overflowed)
    optimizer.step()
    return loss.item()
