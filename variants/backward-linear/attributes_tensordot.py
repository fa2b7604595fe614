"""Correct: stores tensors as ctx attributes, ignores needs_input_grad, uses tensordot."""

import torch


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.input = input
        ctx.weight = weight
        ctx.has_bias = bias is not None
        return torch.nn.functional.linear(input, weight, bias)

    @staticmethod
    def backward(ctx, grad_output):
        dims = list(range(grad_output.dim() - 1))
        grad_input = torch.tensordot(grad_output, ctx.weight, dims=([grad_output.dim() - 1], [0]))
        grad_weight = torch.tensordot(grad_output, ctx.input, dims=(dims, dims))
        grad_bias = grad_output.sum(dims) if ctx.has_bias else None
        return grad_input, grad_weight, grad_bias
