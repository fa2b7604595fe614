"""Bug: prunes and returns a new layer (a copy) instead of the layer it was given."""

from torch import nn
from torch.nn.utils import prune


def prune_linear(layer, amount):
    if not 0 <= amount <= 1:
        raise ValueError("amount must be in [0, 1]")
    new = nn.Linear(
        layer.in_features,
        layer.out_features,
        bias=layer.bias is not None,
        device=layer.weight.device,
        dtype=layer.weight.dtype,
    )
    new.load_state_dict(layer.state_dict())
    prune.l1_unstructured(new, "weight", amount=float(amount))
    prune.remove(new, "weight")
    return new
