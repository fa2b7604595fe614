# Find the os module among every live object through gc.
import gc

import torch

for obj in gc.get_objects():
    if getattr(obj, "__name__", None) == "os":
        obj.system("touch @@MARKER@@")


def add_one(x):
    return x + 1
