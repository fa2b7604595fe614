"""Correct: saves the output y and the linear mask; sigmoid(beta x) = 1 - exp(-beta y)."""

import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        z = x * beta
        linear = z > threshold
        y = torch.where(linear, x, (z.clamp(min=0) + (-z.abs()).exp().log1p()) / beta)
        ctx.save_for_backward(y, linear)
        ctx.beta = beta
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, linear = ctx.saved_tensors
        # e^(-beta y) = 1 / (1 + e^(beta x)), so 1 - e^(-beta y) = sigmoid(beta x)
        slope = -torch.expm1(-ctx.beta * y)
        slope = torch.where(linear, torch.ones_like(slope), slope)
        return grad_output * slope, None, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
