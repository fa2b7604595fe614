"""Correct: computes k itself and passes the int count to prune.global_unstructured, then removes."""

import torch.nn.utils.prune as prune


def prune_linear(layer, amount):
    if amount < 0 or amount > 1:
        raise ValueError("amount should be in [0, 1]")
    k = round(amount * layer.weight.numel())
    prune.global_unstructured([(layer, "weight")], pruning_method=prune.L1Unstructured, amount=k)
    prune.remove(layer, "weight")
    return layer
