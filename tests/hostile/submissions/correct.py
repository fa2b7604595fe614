# The correct submission, graded after every attack: it must get full marks.
import torch


def add_one(x: torch.Tensor) -> torch.Tensor:
    return x + 1
