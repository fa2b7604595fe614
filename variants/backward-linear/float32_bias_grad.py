"""Bug: accumulates grad_bias in a fresh torch.zeros(out) buffer: float32 whatever the input dtype."""

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
        grad_bias = None
        if bias is not None:
            grad_bias = torch.zeros(weight.shape[0], device=grad_output.device)
            for row in g2:
                grad_bias += row
        return grad_input, grad_weight, grad_bias
