"""Bug: meshgrid with indexing="xy" gives a (width, height, 2) grid."""

import torch


def pairwise_sq_dists(a, b):
    return ((a.unsqueeze(-2) - b.unsqueeze(-3)) ** 2).sum(-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    xx, yy = torch.meshgrid(rows, cols, indexing="xy")
    return torch.stack((xx, yy), dim=-1)
