"""Correct: softmax written out with the row maximum, a denominator clamped away from 0 and
the maximum of a dead row replaced by 0 (exp(-inf - 0) is 0, so the row is all zeros)."""

import math

import torch


def _masked_softmax(scores):
    m = scores.amax(dim=-1, keepdim=True)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    e = torch.exp(scores - m)
    total = e.sum(dim=-1, keepdim=True)
    return e / total.clamp(min=torch.finfo(scores.dtype).tiny)


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    if is_causal and attn_mask is not None:
        raise ValueError("attn_mask must be None when is_causal=True")
    E = query.shape[-1]
    s = scale if scale is not None else 1.0 / math.sqrt(E)
    scores = torch.matmul(query, key.transpose(-1, -2)) * s
    if is_causal:
        L, S = query.shape[-2], key.shape[-2]
        upper = torch.triu(torch.ones(L, S, dtype=torch.bool, device=query.device), diagonal=1)
        scores = scores.masked_fill(upper, -math.inf)
    elif attn_mask is not None and attn_mask.dtype == torch.bool:
        scores = scores.masked_fill(~attn_mask, -math.inf)
    elif attn_mask is not None:
        scores = scores + attn_mask
    return torch.matmul(_masked_softmax(scores), value)
