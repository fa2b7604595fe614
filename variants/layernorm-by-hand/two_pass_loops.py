"""Correct: the statistics with a Python loop over the normalized dims (sum one dim at a time),
the backward written with explicit sums and n, and a gradcheck self-test (allowed)."""

import torch
from torch import nn


def _sum_last(t, k):
    for i in range(1, k + 1):
        t = t.sum(dim=-i, keepdim=True)
    # t now has size 1 in each of the last k dims
    return t


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        k = len(normalized_shape)
        n = 1
        for s in normalized_shape:
            n = n * s
        mean = _sum_last(x, k) / n
        var = _sum_last((x - mean) ** 2, k) / n
        std = torch.sqrt(var + eps)
        xhat = (x - mean) / std
        ctx.save_for_backward(xhat, std, weight)
        ctx.k, ctx.n = k, n
        ctx.has_bias = bias is not None
        out = xhat * weight if weight is not None else xhat.clone()
        return out + bias if bias is not None else out

    @staticmethod
    def backward(ctx, grad_output):
        xhat, std, weight = ctx.saved_tensors
        k, n = ctx.k, ctx.n
        g = grad_output * weight if weight is not None else grad_output
        grad_x = (n * g - _sum_last(g, k) - xhat * _sum_last(g * xhat, k)) / (n * std)
        lead = list(range(grad_output.dim() - k))
        gw = (grad_output * xhat).sum(dim=lead) if weight is not None else None
        gb = grad_output.sum(dim=lead) if ctx.has_bias else None
        return grad_x, None, gw, gb, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    if type(normalized_shape) is int:
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    if list(x.shape[-len(normalized_shape) :]) != list(normalized_shape):
        raise ValueError("x must end with normalized_shape")
    return LayerNormFunction.apply(x, normalized_shape, weight, bias, eps)


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        if type(normalized_shape) is int:
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = (
            nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None
        )
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


if __name__ == "__main__":
    t = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, dtype=torch.float64, requires_grad=True)
    print(torch.autograd.gradcheck(lambda a, b: layer_norm(a, 4, b), (t, w)))
