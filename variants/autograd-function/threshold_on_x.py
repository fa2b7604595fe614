"""Buggy: compares x with the threshold instead of beta * x (forward and backward)."""

import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = beta * x
        smooth = (z.clamp(min=0) + torch.log1p(torch.exp(-z.abs()))) / beta
        return torch.where(x > threshold, x, smooth)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        slope = torch.where(x > ctx.threshold, torch.ones_like(x), torch.sigmoid(ctx.beta * x))
        return grad_output * slope, None, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
