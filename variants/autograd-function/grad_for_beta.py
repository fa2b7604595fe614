"""Buggy: backward also returns a "gradient" for beta (the derivative with respect to beta)
instead of None, which the statement does not ask for and forward's number cannot take."""

import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = beta * x
        smooth = (z.clamp(min=0) + torch.log1p(torch.exp(-z.abs()))) / beta
        return torch.where(z > threshold, x, smooth)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        z = ctx.beta * x
        slope = torch.where(z > ctx.threshold, torch.ones_like(z), torch.sigmoid(z))
        d_beta = (grad_output * (x * torch.sigmoid(z) - torch.log1p(torch.exp(z)) / ctx.beta)).sum()
        return grad_output * slope, d_beta / ctx.beta, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
