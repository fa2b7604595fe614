"""Correct: builds one additive bias like the documentation's reference code, then a
softmax whose dead rows are given finite scores first and zero weights after."""

import math

import torch


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    if attn_mask is not None and is_causal:
        raise ValueError("attn_mask and is_causal=True are exclusive")
    L, S = query.shape[-2], key.shape[-2]
    scale_factor = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    bias = torch.zeros(L, S, dtype=query.dtype, device=query.device)
    if is_causal:
        causal = torch.ones(L, S, dtype=torch.bool, device=query.device).tril(diagonal=0)
        bias = bias.masked_fill(causal.logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            bias = bias.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            bias = attn_mask + bias
    scores = query @ key.transpose(-2, -1) * scale_factor + bias
    empty = (scores == float("-inf")).all(dim=-1, keepdim=True)
    scores = torch.where(empty, torch.zeros_like(scores), scores)
    weights = torch.where(empty, torch.zeros_like(scores), torch.softmax(scores, dim=-1))
    return weights @ value
