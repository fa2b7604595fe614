"""Clipping written out by hand, without the 1e-6 of clip_grad_norm_."""

import math

import torch


def total_norm(params):
    return math.sqrt(sum(float((p.grad.detach() ** 2).sum()) for p in params))


def clip_(params, max_norm):
    norm = total_norm(params)
    if norm > max_norm:
        factor = max_norm / norm
        with torch.no_grad():
            for p in params:
                p.grad.mul_(factor)
    return norm


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer.zero_grad()
    norms = []
    pending = 0
    for x, y in loader:
        (loss_fn(model(x), y) / accum_steps).backward()
        pending += 1
        if pending == accum_steps:
            norms.append(clip_(params, max_norm))
            optimizer.step()
            optimizer.zero_grad()
            pending = 0
    if pending:
        norms.append(clip_(params, max_norm))
        optimizer.step()
        optimizer.zero_grad()
    return norms
