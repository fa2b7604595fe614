# Unbounded recursion.
import torch


def add_one(x):
    return add_one(x) + 1
