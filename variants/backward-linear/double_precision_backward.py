"""Bug: computes the gradients in float64 "for accuracy" and never casts them back to the inputs'
dtype, so float32 / bfloat16 inputs get float64 gradients (the engine would cast them silently)."""

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
        g = grad_output.double()
        g2 = g.reshape(-1, g.shape[-1])
        grad_input = g @ weight.double()
        grad_weight = g2.T @ input.double().reshape(-1, input.shape[-1])
        grad_bias = g2.sum(0) if bias is not None else None
        return grad_input, grad_weight, grad_bias
