"""Buggy: forward has the linear part, but backward forgets it and uses sigmoid everywhere."""

import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta = beta
        z = beta * x
        smooth = (z.clamp(min=0) + torch.log1p(torch.exp(-z.abs()))) / beta
        return torch.where(z > threshold, x, smooth)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x), None, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
