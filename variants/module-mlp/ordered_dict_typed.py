"""Correct: nn.Sequential from a named OrderedDict, with type hints."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(
        self, in_features: int, hidden: Sequence[int], out_features: int, dropout: float = 0.0
    ) -> None:
        super().__init__()
        parts: OrderedDict[str, nn.Module] = OrderedDict()
        width = in_features
        for i, h in enumerate(hidden):
            parts[f"fc{i}"] = nn.Linear(width, h)
            parts[f"act{i}"] = nn.ReLU()
            parts[f"drop{i}"] = nn.Dropout(p=dropout)
            width = h
        parts["head"] = nn.Linear(width, out_features)
        self.layers = nn.Sequential(parts)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)
