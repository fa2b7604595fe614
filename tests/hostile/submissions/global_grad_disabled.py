# Switch autograd off for everyone.
import torch

torch.set_grad_enabled(False)


def add_one(x):
    return x + 1
