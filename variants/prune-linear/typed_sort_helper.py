"""Correct: type hints, a @torch.no_grad() helper, stable sort and masked_fill_, prints."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def _zero_smallest(weight: torch.Tensor, k: int) -> None:
    flat = weight.view(-1)
    _, order = torch.sort(flat.abs(), stable=True)
    mask = torch.zeros_like(flat, dtype=torch.bool)
    mask[order[:k]] = True
    flat.masked_fill_(mask, 0.0)


def prune_linear(layer: nn.Linear, amount: float) -> nn.Linear:
    if not 0 <= amount <= 1:
        raise ValueError(f"amount={amount} is outside [0, 1]")
    k = round(amount * layer.weight.numel())
    print(f"pruning {k} of {layer.weight.numel()} weights")
    _zero_smallest(layer.weight, k)
    return layer
