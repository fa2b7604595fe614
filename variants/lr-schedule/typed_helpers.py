"""Correct: type hints, helper functions, a nested function as the lambda, a print."""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LambdaLR


def _warmup(step: int, warmup_steps: int) -> float:
    return step / warmup_steps


def _cosine(progress: float) -> float:
    return 0.5 * (1.0 + math.cos(math.pi * progress))


def lr_factor(step: int, warmup_steps: int, total_steps: int, min_factor: float = 0.0) -> float:
    if step < warmup_steps:
        return _warmup(step, warmup_steps)
    if step > total_steps:
        return min_factor
    return min_factor + (1.0 - min_factor) * _cosine(
        (step - warmup_steps) / (total_steps - warmup_steps)
    )


def make_scheduler(
    optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_factor: float = 0.0
) -> LambdaLR:
    def factor(step: int) -> float:
        return lr_factor(step, warmup_steps, total_steps, min_factor)

    print(f"warmup {warmup_steps} steps, cosine until {total_steps}")
    return LambdaLR(optimizer, factor)
