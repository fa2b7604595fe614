# An exception whose message is 8 MiB, more than a verdict may carry: the verdict must stay
# honest (the learner's own error) and small.
import torch


def add_one(x):
    raise ValueError("A" * (8 << 20))
