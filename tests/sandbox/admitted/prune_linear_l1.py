"""prune-linear, style: torch.nn.utils.prune with an integer amount, then prune.remove."""

import torch.nn as nn
from torch.nn.utils import prune


def prune_linear(layer: nn.Linear, amount: float) -> nn.Linear:
    if not 0 <= amount <= 1:
        raise ValueError(f"amount must be in [0, 1], got {amount}")
    k = round(amount * layer.weight.numel())
    prune.l1_unstructured(layer, name="weight", amount=int(k))
    prune.remove(layer, "weight")
    return layer
