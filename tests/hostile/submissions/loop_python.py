# An infinite Python loop inside the function the check calls.
import torch


def add_one(x):
    while True:
        pass
