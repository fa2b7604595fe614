"""Bug: prunes the bias as well as the weight."""

from torch.nn.utils import prune


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    for name in ("weight", "bias"):
        if getattr(layer, name) is not None:
            prune.l1_unstructured(layer, name, amount=float(amount))
            prune.remove(layer, name)
    return layer
