# torch.randn of 2**40 elements (4 TiB).
import torch


def add_one(x):
    big = torch.randn((1 << 40,))
    return x + 1 + big[0] * 0
