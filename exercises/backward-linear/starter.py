"""backward-linear: implement the backward pass of a linear layer.

Edit this file, then run `grader check backward-linear <this file>` to try the public checks.
"""

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
        # TODO: compute grad_input (shape of input) when ctx.needs_input_grad[0]
        # TODO: compute grad_weight (shape of weight) when ctx.needs_input_grad[1]
        # TODO: compute grad_bias (shape of bias) when there is a bias and it needs a gradient
        return grad_input, grad_weight, grad_bias
