"""Correct: prune.l1_unstructured with float(amount), then prune.remove; validation via a helper."""

from torch.nn.utils import prune


def _check_amount(amount):
    if amount < 0 or amount > 1:
        raise ValueError("amount must be a fraction in [0, 1]")
    return float(amount)


def prune_linear(layer, amount):
    fraction = _check_amount(amount)
    prune.l1_unstructured(layer, "weight", fraction)
    prune.remove(layer, "weight")
    return layer
