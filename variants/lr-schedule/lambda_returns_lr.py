"""Bug: the lambda returns a learning rate (base lr * factor); LambdaLR multiplies by the base again."""

import math

import torch


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if step < warmup_steps:
        return step / warmup_steps
    if step > total_steps:
        return float(min_factor)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    base_lr = optimizer.param_groups[0]["lr"]
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: base_lr * lr_factor(s, warmup_steps, total_steps, min_factor)
    )
