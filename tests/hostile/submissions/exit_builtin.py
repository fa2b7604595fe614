# The interactive exit() builtin.
import torch


def add_one(x):
    exit(0)
