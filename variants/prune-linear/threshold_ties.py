"""Bug: zeroes every |w| <= the k-th smallest value, which prunes more than k weights on ties."""

import torch


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    k = round(amount * layer.weight.numel())
    if k == 0:
        return layer
    magnitudes = layer.weight.detach().abs()
    threshold = torch.kthvalue(magnitudes.flatten(), k).values
    with torch.no_grad():
        layer.weight[magnitudes <= threshold] = 0
    return layer
