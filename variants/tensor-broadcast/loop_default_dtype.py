"""Bug: the loop writes into torch.zeros(...) created with the default dtype and device."""

import torch


def pairwise_sq_dists(a, b):
    n, m = a.shape[-2], b.shape[-2]
    out = torch.zeros(*a.shape[:-2], n, m)
    for i in range(n):
        out[..., i, :] = ((a[..., i : i + 1, :] - b) ** 2).sum(-1)
    return out


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
