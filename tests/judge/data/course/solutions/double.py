# judge-solution-canary-51c2e0
import torch


def double(x):
    return 2 * x


def scale_(layer, k):
    with torch.no_grad():
        layer.weight.mul_(k)
    return layer
