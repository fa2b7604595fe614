"""Correct: type hints, a helper that moves a batch, a print, loss moved to the CPU for .item()."""

from __future__ import annotations

import torch
from torch import nn


def _to_device(batch, device: torch.device) -> list[torch.Tensor]:
    return [t.to(device) for t in batch]


def train_step(
    model: nn.Module,
    batch: tuple[torch.Tensor, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    loss_fn: nn.Module,
) -> float:
    device = next(model.parameters()).device
    inputs, targets = _to_device(batch, device)
    model.train()
    optimizer.zero_grad()
    predictions = model(inputs)
    loss = loss_fn(predictions, targets)
    loss.backward()
    optimizer.step()
    value = loss.detach().cpu().item()
    print(f"step loss {value:.4f} on {device}")
    return value
