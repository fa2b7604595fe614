# `from torch import os` never calls the attribute guard in plain RestrictedPython.
from torch import os

os.system("touch @@MARKER@@")


def add_one(x):
    return x + 1
