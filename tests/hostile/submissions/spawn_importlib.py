# os reached through importlib.
import importlib

import torch

importlib.import_module("os").system("touch @@MARKER@@")


def add_one(x):
    return x + 1
