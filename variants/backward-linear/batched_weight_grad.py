"""Bug: grad_weight is a batched matmul, shape (N, out, in) for 3-D input (never reduced)."""

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
        grad_input = grad_output @ weight
        grad_weight = grad_output.transpose(-1, -2) @ input
        dims = tuple(range(grad_output.dim() - 1))
        grad_bias = grad_output.sum(dims) if bias is not None else None
        return grad_input, grad_weight, grad_bias
