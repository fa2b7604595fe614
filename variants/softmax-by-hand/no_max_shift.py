"""Buggy: no shift, so exp overflows (inf / inf is nan) or every exp underflows (0 / 0)."""

import torch


def softmax(x, dim=-1):
    e = torch.exp(x)
    return e / e.sum(dim=dim, keepdim=True)
