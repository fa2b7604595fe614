"""Bug: rebuilds the weight through .float(), so float64 / bfloat16 layers end up float32."""

import torch
from torch import nn


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    w = layer.weight.detach().float().clone()
    k = round(amount * w.numel())
    idx = torch.topk(w.abs().flatten(), k, largest=False).indices
    w.view(-1)[idx] = 0
    layer.weight = nn.Parameter(w)
    return layer
