"""Correct: contiguous().view flattening and a Python loop accumulating outer products."""

import torch


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        flat = input.contiguous().view(-1, input.shape[-1])
        out = flat.mm(weight.t())
        if bias is not None:
            out = out + bias.unsqueeze(0)
        return out.view(*input.shape[:-1], weight.shape[0])

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        g = grad_output.contiguous().view(-1, weight.shape[0])
        x = input.contiguous().view(-1, weight.shape[1])
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = g.mm(weight).view(input.shape)
        if ctx.needs_input_grad[1]:
            grad_weight = torch.zeros_like(weight)
            for row in range(g.shape[0]):
                grad_weight += torch.outer(g[row], x[row])
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = torch.zeros_like(bias)
            for row in g:
                grad_bias = grad_bias + row
        return grad_input, grad_weight, grad_bias
