"""backward-linear, style: postponed annotations, a @torch.no_grad() helper, ctx.k = ..."""

from __future__ import annotations

from typing import Optional

import torch


@torch.no_grad()
def weight_gradient(grad_output: torch.Tensor, input: torch.Tensor) -> torch.Tensor:
    out_features, in_features = grad_output.shape[-1], input.shape[-1]
    return grad_output.reshape(-1, out_features).t().mm(input.reshape(-1, in_features))


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(
        ctx,
        input: torch.Tensor,
        weight: torch.Tensor,
        bias: Optional[torch.Tensor] = None,  # noqa: UP045 (a style learners write)
    ):
        ctx.save_for_backward(input, weight)
        ctx.bias_shape = None if bias is None else bias.shape
        result = input.matmul(weight.t())
        if bias is not None:
            result += bias
        return result

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        input, weight = ctx.saved_tensors
        needs_input, needs_weight, *needs_bias = ctx.needs_input_grad
        grad_input = grad_output.matmul(weight) if needs_input else None
        grad_weight = weight_gradient(grad_output, input) if needs_weight else None
        grad_bias = None
        if ctx.bias_shape is not None and any(needs_bias):
            dims = tuple(range(grad_output.dim() - 1))
            grad_bias = grad_output.sum(dim=dims).reshape(ctx.bias_shape)
        return grad_input, grad_weight, grad_bias
