"""Bug: flattens with .view, which raises on a non-contiguous input or grad_output."""

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
        g2 = grad_output.view(-1, grad_output.shape[-1])
        x2 = input.view(-1, input.shape[-1])
        grad_input = grad_output @ weight
        grad_weight = g2.T @ x2
        grad_bias = g2.sum(0) if bias is not None else None
        return grad_input, grad_weight, grad_bias
