"""Bug: grad_weight is transposed, (in, out) instead of (out, in)."""

import torch


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        out = input @ weight.T
        return out if bias is None else out + bias

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        g2 = grad_output.reshape(-1, grad_output.shape[-1])
        x2 = input.reshape(-1, input.shape[-1])
        grad_input = grad_output @ weight
        grad_weight = x2.T @ g2
        grad_bias = g2.sum(0) if bias is not None else None
        return grad_input, grad_weight, grad_bias
