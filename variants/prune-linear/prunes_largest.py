"""Bug: prunes the weights of LARGEST absolute value (topk default largest=True)."""

import torch


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    k = round(amount * layer.weight.numel())
    idx = torch.topk(layer.weight.detach().abs().flatten(), k).indices
    with torch.no_grad():
        layer.weight.view(-1)[idx] = 0
    return layer
