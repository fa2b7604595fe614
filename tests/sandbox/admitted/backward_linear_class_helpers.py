"""backward-linear, style: private static helpers on the class, a dataclass on ctx, asserts."""

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Saved:
    in_features: int
    has_bias: bool


class LinearFunction(torch.autograd.Function):
    _CHECK_SHAPES = True

    @staticmethod
    def _as_matrix(t):
        return t.contiguous().view(-1, t.size(-1))

    @staticmethod
    def forward(ctx, input, weight, bias=None):
        if LinearFunction._CHECK_SHAPES:
            assert input.size(-1) == weight.size(1), (
                f"expected {weight.size(1)} features, got {input.size(-1)}"
            )
        ctx.info = Saved(in_features=weight.size(1), has_bias=bias is not None)
        ctx.save_for_backward(input, weight)
        output = (
            LinearFunction._as_matrix(input).mm(weight.t()).view(*input.shape[:-1], weight.size(0))
        )
        if bias is not None:
            output = output + bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors
        g = LinearFunction._as_matrix(grad_output)
        grad_input = g.mm(weight).view(input.shape)
        grad_weight = g.t().mm(LinearFunction._as_matrix(input))
        grad_bias = g.sum(0) if ctx.info.has_bias else None
        return grad_input, grad_weight, grad_bias
