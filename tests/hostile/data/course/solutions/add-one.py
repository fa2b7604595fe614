"""Reference solution. Canary (must never appear in a result): solution-canary-add-one-9e2d47"""

import torch


def add_one(x: torch.Tensor) -> torch.Tensor:
    return x + 1
