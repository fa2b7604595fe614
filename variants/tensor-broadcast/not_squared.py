"""Bug: torch.cdist gives Euclidean distances, not their squares."""

import torch


def pairwise_sq_dists(a, b):
    return torch.cdist(a, b)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
