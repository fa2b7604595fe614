# A Python list of 2**30 pointers: 8 GiB, far beyond the 1 GiB address-space limit.
import torch


def add_one(x):
    hog = [0] * (1 << 30)
    return x + len(hog)
