# Change process-wide torch state the checks rely on.
import torch

torch.set_default_dtype(torch.float64)


def add_one(x):
    return x + 1
