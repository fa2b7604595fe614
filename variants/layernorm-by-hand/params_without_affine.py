"""Buggy: creates weight and bias even with elementwise_affine=False."""

import torch
from torch import nn


class LayerNormFunction(torch.autograd.Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias over the last len(normalized_shape)
    dims, with the biased variance (divided by n, not n - 1), as F.layer_norm."""

    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        dims = tuple(range(-len(normalized_shape), 0))
        mean = x.mean(dim=dims, keepdim=True)
        centered = x - mean
        var = (centered * centered).mean(dim=dims, keepdim=True)
        rstd = torch.rsqrt(var + eps)
        x_hat = centered * rstd
        ctx.save_for_backward(x_hat, rstd, weight)
        ctx.dims = dims
        ctx.has_bias = bias is not None
        y = x_hat if weight is None else x_hat * weight
        return y if bias is None else y + bias

    @staticmethod
    def backward(ctx, grad_output):
        x_hat, rstd, weight = ctx.saved_tensors
        dims = ctx.dims
        batch = tuple(range(grad_output.dim() - len(dims)))  # every dim before normalized_shape

        def over_batch(t):
            return t.sum(dim=batch) if batch else t  # sum(dim=()) would sum over every dim

        grad_weight = over_batch(grad_output * x_hat) if weight is not None else None
        grad_bias = over_batch(grad_output) if ctx.has_bias else None
        g = grad_output if weight is None else grad_output * weight
        # d x_hat / d x removes the mean of g and its component along x_hat, then scales by rstd
        grad_x = rstd * (
            g - g.mean(dim=dims, keepdim=True) - x_hat * (g * x_hat).mean(dim=dims, keepdim=True)
        )
        return grad_x, None, grad_weight, grad_bias, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """LayerNormFunction.apply with normalized_shape given as an int or a sequence of ints."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if x.dim() < len(shape) or tuple(x.shape[x.dim() - len(shape) :]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with normalized_shape {shape}")
    return LayerNormFunction.apply(x, shape, weight, bias, eps)


class LayerNorm(nn.Module):
    """nn.LayerNorm's interface: weight (ones) and bias (zeros) when elementwise_affine."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = nn.Parameter(torch.ones(self.normalized_shape))
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape))

    def forward(self, x):
        if not self.elementwise_affine:
            return layer_norm(x, self.normalized_shape, None, None, self.eps)
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
