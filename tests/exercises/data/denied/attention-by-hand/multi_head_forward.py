import torch
import torch.nn.functional as F


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    E = query.size(-1)
    eye = torch.eye(E, dtype=query.dtype)
    out, _ = F.multi_head_attention_forward(
        query,
        key,
        value,
        E,
        1,
        torch.cat([eye, eye, eye]),
        None,
        None,
        None,
        False,
        0.0,
        eye,
        None,
        attn_mask=attn_mask,
        need_weights=False,
    )
    return out
