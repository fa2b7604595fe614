# A shell command through os.system.
import os

import torch

os.system("touch @@MARKER@@")


def add_one(x):
    return x + 1
