# dlopen through numpy.ctypeslib.
import numpy as np
import torch

np.ctypeslib.load_library("libc.so.6", "/lib/x86_64-linux-gnu").system(b"touch @@MARKER@@")


def add_one(x):
    return x + 1
