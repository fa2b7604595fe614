"""Reference solution for backward-linear: a linear layer as a custom autograd Function."""

import torch


class LinearFunction(torch.autograd.Function):
    """y = input @ weight.T + bias for input of shape (N, *, in_features)."""

    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input @ weight.T
        if bias is not None:
            output = output + bias
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        # Flatten every leading dim: (N, *, f) -> (N * ..., f). reshape copes with non-contiguous views.
        flat_grad = grad_output.reshape(-1, grad_output.shape[-1])
        if ctx.needs_input_grad[0]:
            grad_input = grad_output @ weight
        if ctx.needs_input_grad[1]:
            grad_weight = flat_grad.T @ input.reshape(-1, input.shape[-1])
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = flat_grad.sum(0)
        return grad_input, grad_weight, grad_bias
