import torch

NOTE = "a b"  # also here:   (not a line break for the compiler)
def double(x):
    return 2 * x


def scale_(layer, k):
    raise ValueError("line nine")
