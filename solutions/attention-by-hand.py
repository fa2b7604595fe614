"""Reference solution for attention-by-hand: scaled dot-product attention with masks."""

import math

import torch


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    """softmax(query @ key^T * scale + mask) @ value, with the masks of
    F.scaled_dot_product_attention; a query that may attend to no key gets a row of zeros."""
    if is_causal and attn_mask is not None:
        raise ValueError("pass attn_mask or is_causal=True, not both")
    L, S = query.size(-2), key.size(-2)
    factor = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    scores = query @ key.transpose(-2, -1) * factor
    if is_causal:
        # query i sees keys 0..i (the top-left triangle, also when L != S)
        allowed = torch.ones(L, S, dtype=torch.bool, device=query.device).tril()
        scores = scores.masked_fill(~allowed, float("-inf"))
    elif attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))  # True takes part
        else:
            scores = scores + attn_mask  # an additive mask (a bias)
    # A row whose every score is -inf attends to nothing: softmax would give 0/0 = nan, and
    # nan gradients too. Such rows get finite scores for softmax and zero weights after it.
    dead = torch.isneginf(scores).all(dim=-1, keepdim=True)
    weights = torch.softmax(scores.masked_fill(dead, 0.0), dim=-1).masked_fill(dead, 0.0)
    return weights @ value
