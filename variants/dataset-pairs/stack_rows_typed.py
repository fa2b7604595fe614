"""Correct: type hints, _private attributes, a property, torch.stack over converted rows."""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import torch
from torch.utils.data import Dataset


def _row(values: Any) -> torch.Tensor:
    return torch.as_tensor(values).to(torch.float32).flatten()


class PairDataset(Dataset):
    def __init__(
        self,
        features: Sequence[Any],
        labels: Sequence[int],
        transform: Optional[Callable[[torch.Tensor], Any]] = None,
    ) -> None:
        super().__init__()
        if len(features) != len(labels):
            raise ValueError("the numbers of features and labels differ")
        self._x = torch.stack([_row(f) for f in features])
        self._y = torch.tensor([int(v) for v in labels], dtype=torch.int64)
        self._transform = transform

    @property
    def num_features(self) -> int:
        return self._x.shape[1]

    def __len__(self) -> int:
        return len(self._y)

    def __getitem__(self, index: int) -> tuple[Any, torch.Tensor]:
        x, y = self._x[index], self._y[index]
        return (x if self._transform is None else self._transform(x)), y
