"""Correct: a lookup table with typed helpers, Python numbers for the parameters, and
torch.where for the clamping."""

from __future__ import annotations

import torch

RANGES: dict[torch.dtype, tuple[int, int]] = {
    torch.uint8: (0, 255),
    torch.int8: (-128, 127),
}
EPS = torch.finfo(torch.float32).eps


def qrange(dtype: torch.dtype) -> tuple[int, int]:
    try:
        return RANGES[dtype]
    except KeyError:
        raise ValueError(f"no 8-bit range for {dtype}") from None


def choose_qparams(x: torch.Tensor, dtype: torch.dtype) -> tuple[float, int]:
    qmin, qmax = qrange(dtype)
    x_min = min(x.min().item(), 0.0)
    x_max = max(x.max().item(), 0.0)
    scale = (x_max - x_min) / float(qmax - qmin)
    if scale < EPS:
        scale = EPS
    zero_point = qmin - int(round(x_min / scale))
    zero_point = max(qmin, min(qmax, zero_point))
    return scale, zero_point


def quantize(x: torch.Tensor, scale: float, zero_point: int, dtype: torch.dtype) -> torch.Tensor:
    qmin, qmax = qrange(dtype)
    v = torch.round(x / scale + zero_point)
    v = torch.where(v < qmin, torch.full_like(v, qmin), v)
    v = torch.where(v > qmax, torch.full_like(v, qmax), v)
    return v.to(dtype)


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return (q.to(torch.int32) - zero_point).to(torch.float32) * scale
