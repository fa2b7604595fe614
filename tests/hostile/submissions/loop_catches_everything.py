# An infinite loop at import time that swallows every exception it can catch.
import torch

while True:
    try:
        torch.zeros(1).sum()
    except Exception:
        pass


def add_one(x):
    return x + 1
