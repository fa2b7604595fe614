"""Correct: a Python loop over the groups (slow, but right), with prints."""

import math

import torch


def softmax(x, dim=-1):
    dim = dim % x.dim()
    moved = x.transpose(dim, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    rows = []
    for row in flat:
        biggest = row.max()
        e = torch.exp(row - biggest)
        rows.append(e / e.sum())
    out = torch.stack(rows).reshape(moved.shape).transpose(dim, -1)
    print(f"softmax over {math.prod(flat.shape[:1])} groups")
    return out
