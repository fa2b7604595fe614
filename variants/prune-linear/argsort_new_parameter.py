"""Correct: argsort mask and a new Parameter of the same dtype and device (bool mask keeps dtype)."""

import torch
import torch.nn as nn


def prune_linear(layer, amount):
    if not (0.0 <= amount <= 1.0):
        raise ValueError(f"bad amount {amount}")
    w = layer.weight.detach()
    n = w.numel()
    k = round(amount * n)
    order = torch.argsort(w.abs().reshape(-1))
    keep = torch.ones(n, dtype=torch.bool, device=w.device)
    keep[order[:k]] = False
    layer.weight = nn.Parameter(w * keep.reshape(w.shape))
    return layer
