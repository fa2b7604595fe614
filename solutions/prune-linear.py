"""Reference solution for prune-linear: permanent L1-unstructured pruning of a Linear layer."""

from torch import nn
from torch.nn.utils import prune


def prune_linear(layer: nn.Linear, amount: float) -> nn.Linear:
    """Zero the round(amount * numel) smallest-magnitude weights of ``layer`` for good."""
    if not 0 <= amount <= 1:
        raise ValueError(f"amount must be in [0, 1], got {amount!r}")
    # An int amount means a count to torch.nn.utils.prune; here it is always a fraction.
    prune.l1_unstructured(layer, name="weight", amount=float(amount))
    prune.remove(layer, "weight")
    return layer
