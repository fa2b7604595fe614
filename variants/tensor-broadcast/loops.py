"""Correct but slow: Python loops, with the output created on a's dtype and device."""

import torch


def pairwise_sq_dists(a, b):
    n, m = a.shape[-2], b.shape[-2]
    out = torch.zeros(*a.shape[:-2], n, m, dtype=a.dtype, device=a.device)
    for i in range(n):
        for j in range(m):
            d = a[..., i, :] - b[..., j, :]
            out[..., i, j] = (d * d).sum(-1)
    return out


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    grid = torch.empty(height, width, 2, dtype=dtype, device=device)
    for i in range(height):
        for j in range(width):
            grid[i, j, 0] = i
            grid[i, j, 1] = j
    print(f"built a {height}x{width} grid")
    return grid
