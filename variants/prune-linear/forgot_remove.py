"""Bug: forgets prune.remove, leaving weight_orig, weight_mask and the forward pre-hook."""

from torch.nn.utils import prune


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    prune.l1_unstructured(layer, name="weight", amount=float(amount))
    return layer
