"""Correct: type hints, keyword arguments, map_location="cpu" and weights_only spelled out."""

from __future__ import annotations

import torch
from torch import nn


def save_checkpoint(
    path: str, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int
) -> None:
    state = dict(model=model.state_dict(), optimizer=optimizer.state_dict(), epoch=int(epoch))
    torch.save(obj=state, f=path)


def load_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state["model"], strict=True)
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]
