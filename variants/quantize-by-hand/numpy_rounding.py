"""Correct: the integers computed with NumPy (np.rint rounds half to even too, np.clip) and
turned back into a torch tensor; a print of the parameters."""

import numpy as np
import torch


def qrange(dtype):
    if dtype == torch.uint8:
        return 0, 255
    if dtype == torch.int8:
        return -128, 127
    raise ValueError("dtype must be torch.uint8 or torch.int8")


def choose_qparams(x, dtype):
    qmin, qmax = qrange(dtype)
    arr = x.detach().cpu().numpy()
    lo = min(float(arr.min()), 0.0)
    hi = max(float(arr.max()), 0.0)
    scale = max((hi - lo) / (qmax - qmin), float(np.finfo(np.float32).eps))
    zero_point = int(np.clip(qmin - np.rint(lo / scale), qmin, qmax))
    print(f"scale={scale:.6g} zero_point={zero_point}")
    return float(scale), zero_point


def quantize(x, scale, zero_point, dtype):
    qmin, qmax = qrange(dtype)
    v = np.rint(x.detach().cpu().numpy() / np.float32(scale) + np.float32(zero_point))
    v = np.clip(v, qmin, qmax).astype(np.uint8 if dtype == torch.uint8 else np.int8)
    return torch.from_numpy(v)


def dequantize(q, scale, zero_point):
    return (q.float() - float(zero_point)) * float(scale)
