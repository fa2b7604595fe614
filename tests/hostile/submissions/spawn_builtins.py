# The interpreter's own __import__, taken from __builtins__.
import torch

imp = __builtins__["__import__"]
imp("os").system("touch @@MARKER@@")


def add_one(x):
    return x + 1
