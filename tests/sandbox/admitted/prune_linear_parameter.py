"""prune-linear, style: build a mask and replace the weight Parameter."""

import torch
from torch import nn


def prune_linear(layer, amount):
    if not (0.0 <= amount <= 1.0):
        raise ValueError("amount must be a fraction")
    w = layer.weight.detach()
    k = round(amount * w.numel())
    mask = torch.ones_like(w)
    order = torch.argsort(w.abs().reshape(-1))
    flat = mask.reshape(-1)
    flat[order[:k]] = 0
    layer.weight = nn.Parameter(w * mask, requires_grad=layer.weight.requires_grad)
    return layer
