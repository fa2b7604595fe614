"""prune-linear, style: a @torch.no_grad() function, math, t[i] *= 0, a sparsity print."""

import math

import torch


@torch.no_grad()
def prune_linear(layer: torch.nn.Linear, amount: float) -> torch.nn.Linear:
    if not math.isfinite(amount) or not 0 <= amount <= 1:
        raise ValueError(f"amount={amount!r} is not in [0, 1]")
    n = layer.weight.numel()
    k = round(amount * n)
    flat = layer.weight.view(-1)
    for index in flat.abs().argsort()[:k].tolist():
        flat[index] *= 0
    zeros = int((layer.weight == 0).sum())
    print(f"pruned {zeros}/{n} weights ({100 * zeros / n:.1f}%)")
    return layer
