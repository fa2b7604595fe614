# Pretend the user pressed Ctrl-C.
import torch


def add_one(x):
    raise KeyboardInterrupt
