"""Correct: the |a|^2 + |b|^2 - 2 a.b expansion (clamped at 0); the grid from cartesian_prod."""

import torch


def pairwise_sq_dists(a, b):
    a_sq = (a * a).sum(dim=-1, keepdim=True)  # (*, N, 1)
    b_sq = (b * b).sum(dim=-1).unsqueeze(-2)  # (*, 1, M)
    cross = a @ b.transpose(-2, -1)  # (*, N, M)
    return (a_sq + b_sq - 2 * cross).clamp_min(0)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    pairs = torch.cartesian_prod(rows, cols)  # (height * width, 2), rows vary slowest
    return pairs.reshape(height, width, 2)
