# Walk object.__subclasses__() to find subprocess.Popen without importing anything.
import torch

for cls in ().__class__.__base__.__subclasses__():
    if cls.__name__ == "Popen":
        cls(["touch", "@@MARKER@@"])


def add_one(x):
    return x + 1
