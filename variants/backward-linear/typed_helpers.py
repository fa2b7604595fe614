"""Correct: type hints, private helper functions, flatten(0, -2), prints, torch.matmul / .mT."""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor


def _flat(t: Tensor) -> Tensor:
    """(N, *, f) -> (N * ..., f); flatten copes with non-contiguous views."""
    return t.flatten(0, -2)


def _bias_grad(grad_output: Tensor) -> Tensor:
    return _flat(grad_output).sum(dim=0)


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
        print(f"forward: input {tuple(input.shape)} weight {tuple(weight.shape)}")
        ctx.save_for_backward(input, weight, bias)
        result = torch.matmul(input, weight.mT)
        if bias is not None:
            result += bias
        return result

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> tuple[Optional[Tensor], ...]:
        input, weight, bias = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_b = bias is not None and ctx.needs_input_grad[2]
        grad_input = torch.matmul(grad_output, weight) if need_x else None
        grad_weight = torch.matmul(_flat(grad_output).mT, _flat(input)) if need_w else None
        grad_bias = _bias_grad(grad_output) if need_b else None
        return grad_input, grad_weight, grad_bias
