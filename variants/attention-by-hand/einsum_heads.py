"""Correct: einsum with an ellipsis for the scores and the output, F.softmax."""

import torch
import torch.nn.functional as F


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    if is_causal and attn_mask is not None:
        raise ValueError("give either attn_mask or is_causal")
    if scale is None:
        scale = query.size(-1) ** -0.5
    scores = torch.einsum("...le,...se->...ls", query, key) * scale
    if is_causal:
        L, S = scores.shape[-2:]
        attn_mask = torch.ones(L, S, dtype=torch.bool, device=scores.device).tril()
    if attn_mask is not None:
        if attn_mask.dtype is torch.bool:
            scores = scores.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            scores = scores + attn_mask
    live = ~torch.isneginf(scores).all(dim=-1, keepdim=True)
    weights = F.softmax(scores.masked_fill(~live, 0.0), dim=-1) * live
    return torch.einsum("...ls,...sv->...lv", weights, value)
