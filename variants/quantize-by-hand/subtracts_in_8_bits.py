"""Buggy: dequantize subtracts the zero point in q's own 8-bit dtype, which wraps around."""

import torch

_RANGES = {torch.uint8: (0, 255), torch.int8: (-128, 127)}
"""The integers of torch.quint8 (held in uint8) and of torch.qint8 (held in int8)."""


def qrange(dtype):
    """(qmin, qmax): (0, 255) for torch.uint8, (-128, 127) for torch.int8."""
    if dtype not in _RANGES:
        raise ValueError(f"unsupported dtype {dtype}: use torch.uint8 or torch.int8")
    return _RANGES[dtype]


def choose_qparams(x, dtype):
    """scale and zero_point from the min and max of x, the range stretched to include 0 (as
    torch.ao.quantization.MinMaxObserver)."""
    qmin, qmax = qrange(dtype)
    lo = min(float(x.min()), 0.0)
    hi = max(float(x.max()), 0.0)
    scale = max((hi - lo) / (qmax - qmin), torch.finfo(torch.float32).eps)
    zero_point = qmin - round(lo / scale)  # Python's round: half to even, like torch.round
    return float(scale), int(min(max(zero_point, qmin), qmax))


def quantize(x, scale, zero_point, dtype):
    """clamp(round(x / scale + zero_point), qmin, qmax) as a tensor of dtype."""
    qmin, qmax = qrange(dtype)
    q = torch.round(x / scale + zero_point)  # round before the cast: .to() truncates
    return torch.clamp(q, qmin, qmax).to(dtype)  # clamp before the cast: no wrap-around


def dequantize(q, scale, zero_point):
    """(q - zero_point) * scale in float32; the subtraction is done in float32, not in q's
    8-bit dtype, where 3 - 10 would wrap around to 249."""
    return (q - zero_point).to(torch.float32) * scale
