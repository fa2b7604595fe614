"""Bug: unsqueeze(1) / unsqueeze(0) are right for 2-D inputs only; batched inputs break."""

import torch


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(1) - b.unsqueeze(0)) ** 2).sum(-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
