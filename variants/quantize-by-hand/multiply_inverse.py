"""Correct: multiplies by the inverse scale as torch's kernel does (x * (1 / scale)), with
torch.iinfo for the range and an assertion-free ValueError."""

import torch


def qrange(dtype):
    if dtype not in {torch.uint8, torch.int8}:
        raise ValueError(f"expected torch.uint8 or torch.int8, got {dtype}")
    return torch.iinfo(dtype).min, torch.iinfo(dtype).max


def choose_qparams(x, dtype):
    qmin, qmax = qrange(dtype)
    lo = min(x.min().item(), 0.0)
    hi = max(x.max().item(), 0.0)
    scale = max((hi - lo) / (qmax - qmin), torch.finfo(torch.float32).eps)
    zero_point = min(max(qmin - round(lo / scale), qmin), qmax)
    return float(scale), int(zero_point)


def quantize(x, scale, zero_point, dtype):
    qmin, qmax = qrange(dtype)
    inverse = 1.0 / scale
    return torch.clamp(torch.round(x * inverse + zero_point), qmin, qmax).to(dtype)


def dequantize(q, scale, zero_point):
    return q.float().sub(zero_point).mul(scale)
