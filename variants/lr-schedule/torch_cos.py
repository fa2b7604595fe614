"""Bug: torch.cos on a tensor makes the factor (and then the optimizer's lr) a tensor."""

import math

import torch


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if step < warmup_steps:
        return step / warmup_steps
    if step > total_steps:
        return float(min_factor)
    progress = torch.tensor((step - warmup_steps) / (total_steps - warmup_steps))
    return min_factor + (1 - min_factor) * 0.5 * (1 + torch.cos(math.pi * progress))


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: lr_factor(s, warmup_steps, total_steps, min_factor)
    )
