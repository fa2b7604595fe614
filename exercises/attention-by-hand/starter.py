"""attention-by-hand: scaled dot-product attention with boolean, additive and causal masks.

Edit this file, then run `grader check attention-by-hand <this file>` to try the public checks.
F.scaled_dot_product_attention, nn.MultiheadAttention, the nn.Transformer classes and
torch.nn.attention are forbidden here (see the statement for the whole list).
"""

import math

import torch


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    """softmax(query @ key^T * scale + mask) @ value: (..., L, E), (..., S, E), (..., S, Ev)
    -> (..., L, Ev)."""
    # TODO: raise ValueError when attn_mask is given together with is_causal=True
    # TODO: scale defaults to 1 / sqrt(E) with E = query.size(-1); a given scale (0.0 too) is
    # used as it is
    scores = query @ key.transpose(-2, -1) / math.sqrt(key.size(-2))
    # TODO: is_causal=True keeps torch.ones(L, S, dtype=torch.bool).tril() and masks the rest
    # TODO: a boolean attn_mask keeps its True entries; a float attn_mask is added to the scores
    # TODO: a query row with no key left gives zeros (and finite gradients), not nan
    weights = torch.softmax(scores, dim=-1)
    return weights @ value
