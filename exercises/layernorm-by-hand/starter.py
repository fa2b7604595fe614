"""layernorm-by-hand: LayerNorm's forward and backward, a layer_norm function and a module.

Edit this file, then run `grader check layernorm-by-hand <this file>` to try the public checks.
F.layer_norm, nn.LayerNorm, the other normalizations (group, batch, instance, RMS norm),
torch.autograd.grad and .backward() are forbidden here, even in code that never runs (see the
statement for the whole list).
"""

import torch
from torch import nn


class LayerNormFunction(torch.autograd.Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias over the last len(normalized_shape) dims."""

    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        # TODO: normalize over the last len(normalized_shape) dims, not only the last one
        # TODO: x.var() is the unbiased variance (n - 1); LayerNorm divides by n
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True)
        x_hat = (x - mean) / torch.sqrt(var + eps)
        ctx.save_for_backward(x_hat, weight)
        ctx.has_bias = bias is not None
        # TODO: multiply by weight and add bias when they are not None
        return x_hat

    @staticmethod
    def backward(ctx, grad_output):
        x_hat, weight = ctx.saved_tensors
        # TODO: grad_x, with the mean and variance terms; grad_weight and grad_bias of shape
        # normalized_shape (summed over every dim in front), or None when weight/bias is None
        return grad_output, None, None, None, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """LayerNormFunction.apply with normalized_shape as an int, a tuple or a list."""
    # TODO: accept an int; raise ValueError when x does not end with normalized_shape
    return LayerNormFunction.apply(x, tuple(normalized_shape), weight, bias, eps)


class LayerNorm(nn.Module):
    """The interface of nn.LayerNorm: LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        # TODO: normalized_shape as a tuple, weight (ones) and bias (zeros) as Parameters, or
        # register_parameter("weight", None) and ("bias", None) without elementwise_affine
        self.normalized_shape = normalized_shape
        self.eps = eps
        self.elementwise_affine = elementwise_affine

    def forward(self, x):
        # TODO: layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return layer_norm(x, self.normalized_shape, None, None, self.eps)
