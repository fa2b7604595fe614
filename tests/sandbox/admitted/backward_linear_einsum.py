"""backward-linear, style: einsum, private module-level helpers, attributes on ctx, a print."""

import torch

_VERBOSE = False


def _flatten(t):
    return t.reshape(-1, t.shape[-1])


def _log(message):
    if _VERBOSE:
        print(message)


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight)
        ctx.has_bias = bias is not None
        out = torch.einsum("...i,oi->...o", input, weight)
        _log(f"forward: {tuple(input.shape)} -> {tuple(out.shape)}")
        return out + bias if ctx.has_bias else out

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        grad_input = torch.einsum("...o,oi->...i", grad_output, weight)
        grad_weight = torch.einsum("no,ni->oi", _flatten(grad_output), _flatten(input))
        grad_bias = _flatten(grad_output).sum(dim=0) if ctx.has_bias else None
        return grad_input, grad_weight, grad_bias
