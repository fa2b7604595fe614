"""Buggy: forgets dim altogether (the maximum and the sum of the whole tensor)."""

import torch


def softmax(x, dim=-1):
    e = torch.exp(x - x.max())
    return e / e.sum()
