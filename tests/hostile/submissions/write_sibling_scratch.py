# Passes the policy: write into the folder that holds every check's scratch folder.
import torch


def add_one(x):
    torch.save(x, "../hostile-pwned.pt")
    return x + 1
