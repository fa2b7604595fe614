"""tensor-broadcast: pairwise squared distances and a coordinate grid, with broadcasting.

Edit this file, then run `grader check tensor-broadcast <this file>` to try the public checks.
"""

import torch


def pairwise_sq_dists(a, b):
    """Squared Euclidean distances between the points of a (*, N, D) and b (*, M, D): (*, N, M)."""
    # TODO: give a a new dim so it is (*, N, 1, D) and b so it is (*, 1, M, D)
    # TODO: subtract (broadcasting), square, and sum over the last dim
    return a @ b.transpose(-1, -2)


def coordinate_grid(height, width, dtype=torch.float32, device=None):
    """A (height, width, 2) tensor with grid[i, j] == (i, j), of the given dtype and device."""
    # TODO: create the row and column indices with the requested dtype and device
    # TODO: broadcast them to (height, width) and stack them on a new last dim
    return torch.zeros(height, width, 2)
