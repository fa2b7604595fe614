"""Bug: step / warmup_steps is computed before the branch, dividing by zero without warmup."""

import math

import torch


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    warm = step / warmup_steps
    if step < warmup_steps:
        return warm
    if step > total_steps:
        return float(min_factor)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: lr_factor(s, warmup_steps, total_steps, min_factor)
    )
