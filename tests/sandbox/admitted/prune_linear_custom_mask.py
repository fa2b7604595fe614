"""prune-linear, style: prune.custom_from_mask with a mask from argsort, then remove."""

import torch
import torch.nn.utils.prune as prune


def _mask_for(weight, k):
    mask = torch.ones(weight.numel(), dtype=torch.bool)
    mask[torch.argsort(weight.abs().flatten())[:k]] = False
    return mask.view_as(weight)


def prune_linear(layer, amount):
    if isinstance(amount, bool) or not 0 <= amount <= 1:
        raise ValueError(amount)
    k = round(amount * layer.weight.numel())
    prune.custom_from_mask(layer, name="weight", mask=_mask_for(layer.weight.detach(), k))
    prune.remove(layer, name="weight")
    return layer
