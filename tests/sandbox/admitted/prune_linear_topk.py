"""prune-linear, style: topk indices and an in-place write through a flat view."""

import torch


def prune_linear(layer, amount):
    amount = float(amount)
    if amount < 0 or amount > 1:
        raise ValueError("amount out of range")
    weight = layer.weight
    k = round(amount * weight.numel())
    if k == 0:
        return layer
    with torch.no_grad():
        smallest = torch.topk(weight.detach().abs().flatten(), k, largest=False).indices
        weight.view(-1)[smallest] = 0
    return layer
