import torch.nn.functional as F


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    name = "".join(reversed("noitnetta_tcudorp_tod_delacs"))
    return getattr(F, name)(
        query, key, value, attn_mask=attn_mask, is_causal=is_causal, scale=scale
    )
