"""Correct: works on a 2-D view (rows = groups) and reshapes back; the module keeps
normalized_shape as a torch.Size (a tuple) and sets weight = None without affine."""

import torch
import torch.nn as nn


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        n = 1
        for s in normalized_shape:
            n *= s
        rows = x.reshape(-1, n)
        mu = rows.sum(1, keepdim=True) / n
        d = rows - mu
        sigma2 = (d**2).sum(1, keepdim=True) / n
        inv = (sigma2 + eps) ** -0.5
        xh = d * inv
        ctx.save_for_backward(xh, inv, weight)
        ctx.shape = x.shape
        ctx.n = n
        ctx.normalized_shape = normalized_shape
        ctx.with_bias = bias is not None
        y = xh.reshape(x.shape)
        if weight is not None:
            y = y * weight
        if bias is not None:
            y = y + bias
        return y

    @staticmethod
    def backward(ctx, grad_output):
        xh, inv, weight = ctx.saved_tensors
        n = ctx.n
        g_rows = grad_output.reshape(-1, n)
        gw = gb = None
        if ctx.with_bias:
            gb = g_rows.sum(0).reshape(ctx.normalized_shape)
        if weight is not None:
            gw = (g_rows * xh).sum(0).reshape(ctx.normalized_shape)
            g_rows = g_rows * weight.reshape(1, n)
        gx = inv * (
            g_rows - g_rows.mean(1, keepdim=True) - xh * (g_rows * xh).mean(1, keepdim=True)
        )
        return gx.reshape(ctx.shape), None, gw, gb, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = torch.Size(
        [normalized_shape] if isinstance(normalized_shape, int) else normalized_shape
    )
    if x.shape[-len(shape) :] != shape:
        raise ValueError("normalized_shape does not match the last dims of x")
    return LayerNormFunction.apply(x, tuple(shape), weight, bias, eps)


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        self.normalized_shape = torch.Size(
            [normalized_shape] if isinstance(normalized_shape, int) else normalized_shape
        )
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = (
            nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None
        )
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
