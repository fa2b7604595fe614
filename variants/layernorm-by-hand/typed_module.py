"""Correct: type hints, helper functions for the statistics, x.var(..., unbiased=False), and
a module that builds its parameters with torch.ones(*shape) and prints its configuration."""

from __future__ import annotations

from typing import Optional, Sequence, Union

import torch
from torch import Tensor, nn


def _dims(normalized_shape: Sequence[int]) -> tuple[int, ...]:
    return tuple(range(-len(normalized_shape), 0))


def _normalize(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor]:
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, unbiased=False, keepdim=True)
    rstd = torch.rsqrt(var + eps)
    return (x - mean) * rstd, rstd


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, normalized_shape, weight: Optional[Tensor], bias, eps: float):
        dims = _dims(normalized_shape)
        x_hat, rstd = _normalize(x, dims, eps)
        ctx.save_for_backward(x_hat, rstd, weight, bias)
        ctx.dims = dims
        y = x_hat
        if weight is not None:
            y = y * weight
        if bias is not None:
            y = y + bias
        return y

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        x_hat, rstd, weight, bias = ctx.saved_tensors
        dims = ctx.dims
        front = tuple(range(grad_output.dim() - len(dims)))
        dxhat = grad_output if weight is None else grad_output * weight
        a = dxhat.mean(dim=dims, keepdim=True)
        c = (dxhat * x_hat).mean(dim=dims, keepdim=True)
        grad_x = (dxhat - a - x_hat * c) * rstd
        grad_w = None if weight is None else torch.sum(grad_output * x_hat, dim=front)
        grad_b = None if bias is None else torch.sum(grad_output, dim=front)
        return grad_x, None, grad_w, grad_b, None


def layer_norm(
    x: Tensor,
    normalized_shape: Union[int, Sequence[int]],
    weight: Optional[Tensor] = None,
    bias: Optional[Tensor] = None,
    eps: float = 1e-5,
) -> Tensor:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if x.dim() < k or tuple(x.shape)[-k:] != shape:
        raise ValueError(f"x {tuple(x.shape)} vs normalized_shape {shape}")
    return LayerNormFunction.apply(x, shape, weight, bias, eps)


class LayerNorm(nn.Module):
    def __init__(
        self,
        normalized_shape: Union[int, Sequence[int]],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape: tuple[int, ...] = tuple(int(s) for s in shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if self.elementwise_affine:
            self.weight = nn.Parameter(torch.ones(*self.normalized_shape))
            self.bias = nn.Parameter(torch.zeros(*self.normalized_shape))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        print(f"LayerNorm{self.normalized_shape} eps={self.eps} affine={self.elementwise_affine}")

    def forward(self, x: Tensor) -> Tensor:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
