"""Correct: torch.var_mean with correction=0, saves x, mean and rstd and rebuilds x_hat in
backward; ctx.needs_input_grad decides what to compute."""

import torch
from torch import nn


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        dims = [-(i + 1) for i in range(len(normalized_shape))]
        var, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
        rstd = 1.0 / torch.sqrt(var + eps)
        ctx.save_for_backward(x, mean, rstd, weight, bias)
        ctx.dims = dims
        out = (x - mean) * rstd
        if weight is not None:
            out = out * weight
        if bias is not None:
            out = out + bias
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, mean, rstd, weight, bias = ctx.saved_tensors
        dims = ctx.dims
        x_hat = (x - mean) * rstd
        lead = list(range(x.dim() - len(dims)))
        grad_x = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            g = grad_output * weight if weight is not None else grad_output
            n = 1
            for d in dims:
                n *= x.shape[d]
            sum_g = g.sum(dim=dims, keepdim=True)
            sum_gx = (g * x_hat).sum(dim=dims, keepdim=True)
            grad_x = rstd / n * (n * g - sum_g - x_hat * sum_gx)
        if weight is not None and ctx.needs_input_grad[2]:
            grad_weight = (grad_output * x_hat).sum(dim=lead)
        if bias is not None and ctx.needs_input_grad[3]:
            grad_bias = grad_output.sum(dim=lead)
        return grad_x, None, grad_weight, grad_bias, None


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    if isinstance(normalized_shape, int):
        normalized_shape = [normalized_shape]
    normalized_shape = tuple(normalized_shape)
    if x.shape[x.dim() - len(normalized_shape) :] != normalized_shape:
        raise ValueError(f"expected x to end with {normalized_shape}, got {tuple(x.shape)}")
    return LayerNormFunction.apply(x, normalized_shape, weight, bias, eps)


class LayerNorm(nn.Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = nn.Parameter(torch.ones(self.normalized_shape))
            self.bias = nn.Parameter(torch.zeros(self.normalized_shape))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
