"""Correct: numpy's cos converted with float(); one lambda per param group."""

import numpy as np
from torch.optim import lr_scheduler


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if warmup_steps > 0 and step < warmup_steps:
        return step / warmup_steps
    if step > total_steps:
        return float(min_factor)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_factor + (1 - min_factor) * 0.5 * (1 + np.cos(np.pi * progress)))


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    lambdas = [
        (lambda s: lr_factor(s, warmup_steps, total_steps, min_factor))
        for _ in optimizer.param_groups
    ]
    return lr_scheduler.LambdaLR(optimizer, lr_lambda=lambdas)
