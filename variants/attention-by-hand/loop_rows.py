"""Correct: flattens the leading dims and loops over them in Python, with a helper per matrix,
type hints and a print."""

from __future__ import annotations

import math
from typing import Optional

import torch


def _one(q, k, v, bias, keep):
    scores = q @ k.T
    if bias is not None:
        scores = scores + bias
    if keep is not None:
        scores = scores.masked_fill(~keep, float("-inf"))
    out = torch.zeros(q.shape[0], v.shape[1], dtype=q.dtype, device=q.device)
    rows = []
    for i in range(scores.shape[0]):
        row = scores[i]
        if bool(torch.isneginf(row).all()):
            rows.append(out[i])
        else:
            rows.append(torch.softmax(row, dim=0) @ v)
    return torch.stack(rows)


def attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: Optional[torch.Tensor] = None,
    is_causal: bool = False,
    scale: Optional[float] = None,
) -> torch.Tensor:
    if is_causal and attn_mask is not None:
        raise ValueError("attn_mask and is_causal cannot both be set")
    L, E = query.shape[-2:]
    S, Ev = value.shape[-2:]
    lead = query.shape[:-2]
    factor = 1.0 / math.sqrt(E) if scale is None else float(scale)
    keep = bias = None
    if is_causal:
        keep = torch.ones(L, S, dtype=torch.bool, device=query.device).tril()
    elif attn_mask is not None:
        full = attn_mask.expand(*lead, L, S) if attn_mask.dim() else attn_mask
        if attn_mask.dtype == torch.bool:
            keep = full.reshape(-1, L, S)
        else:
            bias = full.reshape(-1, L, S)
    q = query.reshape(-1, L, E) * factor
    k = key.reshape(-1, S, E)
    v = value.reshape(-1, S, Ev)
    outs = []
    for b in range(q.shape[0]):
        kb = keep if keep is None or keep.dim() == 2 else keep[b]
        bb = bias if bias is None else bias[b]
        outs.append(_one(q[b], k[b], v[b], bb, kb))
    print(f"attention over {q.shape[0]} matrices of {L} x {S}")
    return torch.stack(outs).reshape(*lead, L, Ev)
