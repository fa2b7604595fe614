"""Correct: progress clamped with min/max instead of a separate branch; a plain lambda."""

import math

import torch


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if step < warmup_steps:
        return float(step) / float(warmup_steps)
    progress = min(max((step - warmup_steps) / (total_steps - warmup_steps), 0.0), 1.0)
    cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
    return min_factor + (1.0 - min_factor) * cosine


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: lr_factor(s, warmup_steps, total_steps, min_factor)
    )
