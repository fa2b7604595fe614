import torch

_hog = []


def add_one(x):
    while True:  # grows until the memory limit stops it
        _hog.append(torch.ones(16 * 1024 * 1024))
