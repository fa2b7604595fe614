# torch re-exports os as a plain attribute.
import torch

torch.os.system("touch @@MARKER@@")


def add_one(x):
    return x + 1
