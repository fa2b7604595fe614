"""Correct: einsum over the difference; the grid from linspace and meshgrid(indexing="ij")."""

import torch


def pairwise_sq_dists(a, b):
    diff = a.unsqueeze(-2) - b.unsqueeze(-3)
    return torch.einsum("...d,...d->...", diff, diff)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.linspace(0, height - 1, height, dtype=dtype, device=device)
    cols = torch.linspace(0, width - 1, width, dtype=dtype, device=device)
    return torch.stack(torch.meshgrid(rows, cols, indexing="ij"), dim=-1)
