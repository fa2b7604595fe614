# Memory that grows and is really touched: 64 MiB byte strings until something stops it.
import torch


def add_one(x):
    hog = []
    while True:
        hog.append(b"x" * (64 << 20))
