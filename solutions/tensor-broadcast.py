"""Reference solution for tensor-broadcast."""

import torch


def pairwise_sq_dists(a, b):
    """Squared Euclidean distances between the points of a (*, N, D) and b (*, M, D): (*, N, M)."""
    diff = a.unsqueeze(-2) - b.unsqueeze(-3)  # (*, N, 1, D) - (*, 1, M, D) -> (*, N, M, D)
    return (diff * diff).sum(dim=-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    """A (height, width, 2) tensor with grid[i, j] == (i, j)."""
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
