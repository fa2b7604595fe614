"""Bug: grad_bias sums over dim 0 only; for 3-D input it has shape (T, out), not (out,).

Through autograd this passes unnoticed (the engine sums it to (out,)); only the direct calls see it.
"""

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
        grad_input = grad_output @ weight
        grad_weight = g2.T @ input.reshape(-1, input.shape[-1])
        grad_bias = grad_output.sum(0) if bias is not None else None
        return grad_input, grad_weight, grad_bias
