import torch
import torch.nn.functional as F


def softplus(x, beta=1.0, threshold=20.0):
    z = x * beta
    zeros = torch.zeros_like(z)
    smooth = F.binary_cross_entropy_with_logits(z, zeros, reduction="none") / beta
    return torch.where(z > threshold, x, smooth)
