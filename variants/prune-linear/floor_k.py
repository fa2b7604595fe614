"""Bug: k = int(amount * n) truncates instead of Python's round."""

import torch


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    k = int(amount * layer.weight.numel())
    idx = torch.topk(layer.weight.detach().abs().flatten(), k, largest=False).indices
    with torch.no_grad():
        layer.weight.view(-1)[idx] = 0
    return layer
