"""Correct: turns every mask into an additive float bias first, and multiplies the softmax by
a 0/1 "has a key" factor computed from the bias."""

import math

import torch


def _as_bias(mask, dtype):
    if mask.dtype == torch.bool:
        return torch.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(
            ~mask, float("-inf")
        )
    return mask


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    if is_causal:
        if attn_mask is not None:
            raise ValueError("is_causal=True does not take an attn_mask")
        L, S = query.size(-2), key.size(-2)
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=query.device).tril()
    scale = (1.0 / math.sqrt(query.size(-1))) if scale is None else scale
    scores = (query * scale) @ key.transpose(-2, -1)
    if attn_mask is not None:
        scores = scores + _as_bias(attn_mask, scores.dtype)
    has_key = (scores > float("-inf")).any(dim=-1, keepdim=True)
    safe = torch.where(has_key, scores, torch.zeros_like(scores))
    weights = torch.softmax(safe, dim=-1) * has_key.to(scores.dtype)
    return weights @ value
