"""Buggy: log1p(exp(z)) as written: exp(z) overflows to inf once z is large and the threshold
does not cut it off (the gradient is right)."""

import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = beta * x
        return torch.where(z > threshold, x, torch.log1p(torch.exp(z)) / beta)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        z = ctx.beta * x
        slope = torch.where(z > ctx.threshold, torch.ones_like(z), torch.sigmoid(z))
        return grad_output * slope, None, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
