"""Buggy: detaches the input "to be safe", so no gradient flows back."""

import torch


def softmax(x, dim=-1):
    x = x.detach()
    e = torch.exp(x - x.amax(dim, keepdim=True))
    return e / e.sum(dim, keepdim=True)
