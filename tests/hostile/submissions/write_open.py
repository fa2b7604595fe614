# A big file written with open().
import torch

with open("big.bin", "wb") as fh:
    fh.write(b"0" * (1 << 30))


def add_one(x):
    return x + 1
