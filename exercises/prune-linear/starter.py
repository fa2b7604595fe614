"""prune-linear: prune a Linear layer's weights for good.

Edit this file, then run `grader check prune-linear <this file>` to try the public checks.
"""

from torch import nn
from torch.nn.utils import prune  # (you will need it)


def prune_linear(layer: nn.Linear, amount: float) -> nn.Linear:
    """Zero the round(amount * numel) smallest-magnitude weights of ``layer`` for good."""
    # TODO: raise ValueError when amount is outside [0, 1]
    # TODO: zero the k = round(amount * layer.weight.numel()) weights of smallest |w|
    # TODO: make the pruning permanent (no weight_orig, weight_mask or hooks left)
    return layer
