import torch

def add_one(x):
    return x + 1  # café in Latin-1
