"""Bug: k = int(amount * n + 0.5) rounds halves up (2.5 -> 3) instead of Python's round (2)."""

from torch.nn.utils import prune


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    k = int(amount * layer.weight.numel() + 0.5)
    prune.l1_unstructured(layer, "weight", amount=k)
    prune.remove(layer, "weight")
    return layer
