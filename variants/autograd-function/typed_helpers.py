"""Correct: type hints, module-level helpers, saves x and the boolean mask, honours
ctx.needs_input_grad, and a gradcheck self-test (allowed: it is not torch.autograd.grad)."""

from __future__ import annotations

import torch
from torch import Tensor


def _log1p_exp(z: Tensor) -> Tensor:
    """log(1 + e^z) without overflow."""
    return z.clamp(min=0.0) + torch.log1p(torch.exp(-z.abs()))


def _stable_sigmoid(z: Tensor) -> Tensor:
    """e^z / (1 + e^z), computed from e^-|z| so no exp overflows."""
    e = torch.exp(-z.abs())
    return torch.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, beta: float, threshold: float) -> Tensor:
        z = x * beta
        linear = z > threshold
        ctx.save_for_backward(x, linear)
        ctx.beta = beta
        return torch.where(linear, x, _log1p_exp(z) / beta)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> tuple[Tensor | None, None, None]:
        if not ctx.needs_input_grad[0]:
            return None, None, None
        x, linear = ctx.saved_tensors
        slope = torch.where(linear, torch.ones_like(x), _stable_sigmoid(ctx.beta * x))
        return grad_output * slope, None, None


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return SoftplusFunction.apply(x, beta, threshold)


if __name__ == "__main__":
    t = torch.randn(5, dtype=torch.float64, requires_grad=True)
    print(torch.autograd.gradcheck(lambda v: softplus(v, 2.0, 1.0), (t,)))
