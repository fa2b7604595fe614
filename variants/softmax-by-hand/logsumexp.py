"""Correct: exp(x - logsumexp(x)); torch.logsumexp is stable and not on the deny list."""

import torch


def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    return torch.exp(x - torch.logsumexp(x, dim=dim, keepdim=True))
