"""Correct: a subclass of LRScheduler that implements get_lr() itself."""

import math

from torch.optim.lr_scheduler import LRScheduler


def lr_factor(step, warmup_steps, total_steps, min_factor=0.0):
    if step < warmup_steps:
        return step / warmup_steps
    if step >= total_steps:
        return float(min_factor)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_factor + (1 - min_factor) * (1 + math.cos(math.pi * progress)) / 2


class WarmupCosine(LRScheduler):
    def __init__(self, optimizer, warmup_steps, total_steps, min_factor=0.0):
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps
        self.min_factor = min_factor
        super().__init__(optimizer)

    def get_lr(self):
        f = lr_factor(self.last_epoch, self.warmup_steps, self.total_steps, self.min_factor)
        return [base * f for base in self.base_lrs]


def make_scheduler(optimizer, warmup_steps, total_steps, min_factor=0.0):
    return WarmupCosine(optimizer, warmup_steps, total_steps, min_factor)
