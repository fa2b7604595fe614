# judge-solution-canary-51c2e0
import torch


def store(name, t):
    torch.save(t, name)
    return name
