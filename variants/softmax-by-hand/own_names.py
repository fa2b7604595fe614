"""Correct, with names a deny list must not refuse: this file never uses torch.softmax.

A class of its own with a method called softmax (and log_softmax), a function called softmax,
a variable called softmax: none of them is PyTorch's.
"""

from __future__ import annotations

import torch


class Softmax:
    """A softmax of our own (not torch.nn.Softmax)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def log_softmax(self, x: torch.Tensor) -> torch.Tensor:
        shifted = x - x.amax(dim=self.dim, keepdim=True)
        return shifted - shifted.exp().sum(dim=self.dim, keepdim=True).log()

    def softmax(self, x: torch.Tensor) -> torch.Tensor:
        return self.log_softmax(x).exp()


def softmax(x, dim=-1):
    layer = Softmax(dim)
    softmax = layer.softmax(x)  # a local variable named softmax
    return softmax
