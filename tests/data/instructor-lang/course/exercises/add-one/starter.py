import torch


def add_one(x: torch.Tensor) -> torch.Tensor:
    # TODO: return x plus one
    return x
