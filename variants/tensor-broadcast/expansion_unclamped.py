"""Buggy: the |a|^2 + |b|^2 - 2 a.b expansion without the clamp to >= 0 the statement asks for;
right for points near the origin, negative for coinciding float32 points far from it."""

import torch


def pairwise_sq_dists(a, b):
    a_sq = (a * a).sum(dim=-1, keepdim=True)
    b_sq = (b * b).sum(dim=-1).unsqueeze(-2)
    return a_sq + b_sq - 2 * (a @ b.transpose(-2, -1))


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
