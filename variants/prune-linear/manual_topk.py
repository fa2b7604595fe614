"""Correct: topk of |w| (largest=False) and an in-place zeroing under no_grad; no prune module."""

import torch
from torch import nn


def prune_linear(layer: nn.Linear, amount: float) -> nn.Linear:
    if amount < 0 or amount > 1:
        raise ValueError("amount must be between 0 and 1")
    weight = layer.weight
    k = round(amount * weight.numel())
    if k > 0:
        idx = torch.topk(weight.detach().abs().flatten(), k, largest=False).indices
        with torch.no_grad():
            weight.view(-1)[idx] = 0
    return layer
