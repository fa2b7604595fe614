# libc's system() through ctypes, reached from torch.
import torch

torch.ctypes.CDLL(None).system(b"touch @@MARKER@@")


def add_one(x):
    return x + 1
