from torch.nn.functional import scaled_dot_product_attention as sdpa


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    return sdpa(query, key, value, attn_mask=attn_mask, is_causal=is_causal, scale=scale)
