"""Correct: the range from torch.iinfo, qparams computed with tensors (aminmax, torch.round)
in float32 as the observer does, and dequantize through float64."""

import torch


def qrange(dtype):
    if dtype not in (torch.uint8, torch.int8):
        raise ValueError(f"qrange: {dtype} is not torch.uint8 or torch.int8")
    info = torch.iinfo(dtype)
    return int(info.min), int(info.max)


def choose_qparams(x, dtype):
    qmin, qmax = qrange(dtype)
    lo, hi = torch.aminmax(x.float())
    lo = torch.clamp(lo, max=0.0)
    hi = torch.clamp(hi, min=0.0)
    scale = torch.clamp((hi - lo) / float(qmax - qmin), min=torch.finfo(torch.float32).eps)
    zp = qmin - torch.round(lo / scale).to(torch.int64)
    zp = torch.clamp(zp, qmin, qmax)
    return scale.item(), int(zp.item())


def quantize(x, scale, zero_point, dtype):
    qmin, qmax = qrange(dtype)
    return (x / scale + zero_point).round().clamp(qmin, qmax).to(dtype)


def dequantize(q, scale, zero_point):
    return ((q.double() - zero_point) * scale).float()
