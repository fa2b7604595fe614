"""Bug: the new dims are inserted the wrong way round, giving (M, N) (transposed) distances."""

import torch


def pairwise_sq_dists(a, b):
    diff = a.unsqueeze(-3) - b.unsqueeze(-2)  # (*, 1, N, D) - (*, M, 1, D) -> (*, M, N, D)
    return diff.pow(2).sum(-1)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    rows = torch.arange(height, dtype=dtype, device=device)
    cols = torch.arange(width, dtype=dtype, device=device)
    ii, jj = torch.meshgrid(rows, cols, indexing="ij")
    return torch.stack((ii, jj), dim=-1)
