import torch

for i in range(100000):
    print("spam " * 20)


def add_one(x):
    return x + 1
