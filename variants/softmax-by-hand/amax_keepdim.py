"""Correct: torch functions, the group maximum from torch.amax."""

import torch


def softmax(x, dim=-1):
    m = torch.amax(x, dim=dim, keepdim=True)
    e = torch.exp(x - m)
    return e / torch.sum(e, dim=dim, keepdim=True)
