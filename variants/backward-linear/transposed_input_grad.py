"""Bug: grad_input uses weight.T (grad_output @ weight.T) instead of grad_output @ weight."""

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
        grad_input = grad_output @ weight.T
        grad_weight = g2.T @ x2
        grad_bias = g2.sum(0) if bias is not None else None
        return grad_input, grad_weight, grad_bias
