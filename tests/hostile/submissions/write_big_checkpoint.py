# Passes the policy (torch.save is admitted here): a 256 MiB checkpoint in the scratch folder,
# far beyond the per-check file-size limit.
import torch


def add_one(x):
    torch.save(torch.zeros(64 << 20), "big.pt")
    return x + 1
