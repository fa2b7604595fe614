"""Reference solution for lr-schedule."""

import functools
import math

from torch.optim.lr_scheduler import LambdaLR


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    """Linear warmup from 0 to 1, then a half cosine from 1 down to min_factor."""
    if step < warmup_steps:
        return step / warmup_steps
    if step > total_steps:
        return float(min_factor)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    """A LambdaLR that scales every group's initial lr by lr_factor(step, ...)."""
    factor = functools.partial(
        lr_factor, warmup_steps=warmup_steps, total_steps=total_steps, min_factor=min_factor
    )
    return LambdaLR(optimizer, lr_lambda=factor)
