import torch

print("hello from the learner")


def add_one(x: torch.Tensor) -> torch.Tensor:
    return x + 1
