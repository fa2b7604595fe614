"""Correct: statistics over x.flatten(-k) (the normalized dims as one), parameters made with
torch.empty and nn.init.ones_ / zeros_, and normalized_shape kept as a list converted once."""

import torch
from torch import nn


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        k = len(normalized_shape)
        flat = x.flatten(start_dim=x.dim() - k)  # (..., n)
        mean = flat.mean(-1, keepdim=True)
        var = ((flat - mean) ** 2).mean(-1, keepdim=True)
        rstd = (var + eps).rsqrt()
        x_hat = ((flat - mean) * rstd).view(x.shape)
        ctx.save_for_backward(x_hat, rstd, weight)
        ctx.k = k
        ctx.bias_given = bias is not None
        y = x_hat
        if weight is not None:
            y = weight * y
        if bias is not None:
            y = bias + y
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x_hat, rstd, weight = ctx.saved_tensors
        k = ctx.k
        lead = list(range(grad_output.dim() - k))
        g = grad_output if weight is None else grad_output * weight
        gf = g.flatten(start_dim=g.dim() - k)
        hf = x_hat.flatten(start_dim=x_hat.dim() - k)
        gx = rstd * (gf - gf.mean(-1, keepdim=True) - hf * (gf * hf).mean(-1, keepdim=True))
        grad_weight = (grad_output * x_hat).sum(lead) if weight is not None else None
        grad_bias = grad_output.sum(lead) if ctx.bias_given else None
        return gx.view(grad_output.shape), None, grad_weight, grad_bias, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if list(x.shape)[len(x.shape) - len(shape) :] != shape:
        raise ValueError(f"the last dims of x {list(x.shape)} are not {shape}")
    return LayerNormFunction.apply(x, tuple(shape), weight, bias, eps)


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
        self.normalized_shape = tuple(shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = nn.Parameter(torch.empty(shape))
            self.bias = nn.Parameter(torch.empty(shape))
            nn.init.ones_(self.weight)
            nn.init.zeros_(self.bias)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
