"""Bug: torch.arange without dtype gives int64, whatever dtype was asked for."""

import torch


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(-2) - b.unsqueeze(-3)) ** 2).sum(-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, device=device)
    cols = torch.arange(width, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
