"""Bug: passes amount straight to prune: int 1 prunes ONE weight and int 2 raises nothing."""

from torch.nn.utils import prune


def prune_linear(layer, amount):
    prune.l1_unstructured(layer, "weight", amount=amount)
    prune.remove(layer, "weight")
    return layer
