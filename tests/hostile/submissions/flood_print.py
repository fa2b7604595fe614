# 100 MB of output through print; the function is correct.
import torch


def add_one(x):
    line = "spam " * 200
    for _ in range(100_000):
        print(line)
    return x + 1
