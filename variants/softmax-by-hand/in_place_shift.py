"""Buggy: shifts x in place (changes the caller's tensor; fails when x requires grad)."""

import torch


def softmax(x, dim=-1):
    x -= x.amax(dim, keepdim=True)
    e = torch.exp(x)
    return e / e.sum(dim, keepdim=True)
