# An exception whose message is 64 MiB: the verdict must stay honest and small.
import torch


def add_one(x):
    raise ValueError("A" * (64 << 20))
