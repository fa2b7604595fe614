"""Reference solution for softmax-by-hand: a numerically stable softmax along any dim."""

import torch


def softmax(x, dim=-1):
    """exp(x) / sum(exp(x)) along dim, shifted by each group's maximum so exp never overflows.

    softmax(x) == softmax(x - c) for any c that is constant along dim; with c the group's
    maximum every exponent is <= 0 (no overflow) and the largest is exp(0) = 1 (the sum is never
    0). A -inf entry stays -inf after the shift and its exp is exactly 0.
    """
    shifted = x - x.amax(dim=dim, keepdim=True)
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)
