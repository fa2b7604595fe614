# A suspended generator keeps torch.inference_mode() on after the call returns.
import torch


def _gen():
    with torch.inference_mode():
        yield 1
        yield 2


_LEFT = []


def double(x):
    g = _gen()
    next(g)
    _LEFT.append(g)
    return 2 * x


def scale_(layer, k):
    with torch.no_grad():
        layer.weight.mul_(k)
    return layer
