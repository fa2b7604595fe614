# double(21) returns a module that shares its submodules level after level: tiny on the wire,
# 2**40 places for repr or state_dict.
import torch
from torch import nn


def double(x):
    if isinstance(x, int):
        m = nn.Identity()
        for i in range(40):
            m = nn.Sequential(m, m)
        return m
    return 2 * x


def scale_(layer, k):
    with torch.no_grad():
        layer.weight.mul_(k)
    return layer
