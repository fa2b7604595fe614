"""Bug: each point is stored as (column, row), i.e. (x, y), instead of (row, column)."""

import torch


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(-2) - b.unsqueeze(-3)) ** 2).sum(-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((jj, ii), dim=-1)
