"""Bug: backward re-runs the forward under enable_grad and asks autograd for the gradients."""

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
        with torch.enable_grad():
            x = input.detach().requires_grad_()
            w = weight.detach().requires_grad_()
            leaves = [x, w]
            out = x @ w.T
            if bias is not None:
                b = bias.detach().requires_grad_()
                leaves.append(b)
                out = out + b
            grads = torch.autograd.grad(out, leaves, grad_output)
        return tuple(grads) + (None,) * (3 - len(grads))
