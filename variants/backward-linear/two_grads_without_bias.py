"""Correct: returns as many gradients as forward got inputs (2 without a bias), uses reshape."""

import torch


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        if bias is None:
            ctx.save_for_backward(input, weight)
            return input @ weight.T
        ctx.save_for_backward(input, weight, bias)
        return input @ weight.T + bias

    @staticmethod
    def backward(ctx, grad_output):
        saved = ctx.saved_tensors
        input, weight = saved[0], saved[1]
        g2 = grad_output.reshape(-1, weight.shape[0])
        grads = [
            grad_output @ weight if ctx.needs_input_grad[0] else None,
            g2.T @ input.reshape(-1, weight.shape[1]) if ctx.needs_input_grad[1] else None,
        ]
        if len(saved) == 3:
            grads.append(g2.sum(0) if ctx.needs_input_grad[2] else None)
        return tuple(grads)
