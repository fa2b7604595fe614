from torch import nn


def attention(query, key, value, attn_mask=None, is_causal=False, scale=None):
    layer = nn.TransformerEncoderLayer(query.size(-1), 1, dim_feedforward=1, dropout=0.0)
    return layer.self_attn(query, key, value, need_weights=False)[0]
