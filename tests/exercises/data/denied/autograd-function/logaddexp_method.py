import torch


def softplus(x, beta=1.0, threshold=20.0):
    z = x * beta
    return torch.where(z > threshold, x, z.logaddexp(torch.zeros_like(z)) / beta)
