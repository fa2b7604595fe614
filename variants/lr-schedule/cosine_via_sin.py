"""Correct: the half cosine written as cos^2(pi * progress / 2); a class-based callable lambda."""

import math

import torch


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if step < warmup_steps:
        return step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    if progress >= 1:
        return min_factor * 1.0
    return min_factor + (1 - min_factor) * math.cos(math.pi * progress / 2) ** 2


class Factor:
    def __init__(self, warmup_steps, total_steps, min_factor):
        self.args = (warmup_steps, total_steps, min_factor)

    def __call__(self, step):
        return lr_factor(step, *self.args)


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, Factor(warmup_steps, total_steps, min_factor)
    )
