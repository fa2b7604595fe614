"""Correct: spelled out step by step with intermediate names, the clamp done with
clamp_min / clamp_max, and every dtype check up front."""

import torch


def qrange(dtype):
    ranges = {torch.uint8: (0, 255), torch.int8: (-128, 127)}
    if dtype in ranges:
        return ranges[dtype]
    raise ValueError(str(dtype))


def choose_qparams(x, dtype):
    qmin, qmax = qrange(dtype)
    smallest = float(torch.min(x))
    largest = float(torch.max(x))
    if smallest > 0:
        smallest = 0.0
    if largest < 0:
        largest = 0.0
    levels = qmax - qmin
    scale = (largest - smallest) / levels
    scale = max(scale, float(torch.finfo(torch.float32).eps))
    shift = round(smallest / scale)
    zero_point = qmin - shift
    if zero_point < qmin:
        zero_point = qmin
    if zero_point > qmax:
        zero_point = qmax
    return float(scale), int(zero_point)


def quantize(x, scale, zero_point, dtype):
    qmin, qmax = qrange(dtype)
    scaled = x / scale
    shifted = scaled + zero_point
    rounded = torch.round(shifted)
    clamped = rounded.clamp_min(qmin).clamp_max(qmax)
    return clamped.to(dtype)


def dequantize(q, scale, zero_point):
    as_float = q.to(torch.float32)
    centered = as_float - zero_point
    return centered * scale
