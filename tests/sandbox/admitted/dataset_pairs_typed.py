"""dataset-pairs, style: postponed annotations, typing, a property, a generator, prints."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import torch
from torch.utils.data import Dataset


def _rows(features: Sequence) -> Iterator[torch.Tensor]:
    for row in features:
        yield torch.tensor(
            row.tolist() if hasattr(row, "tolist") else list(row), dtype=torch.float32
        )


class PairDataset(Dataset):
    def __init__(
        self, features: Sequence, labels: Sequence[int], transform: Callable | None = None
    ) -> None:
        self.x: list[torch.Tensor] = list(_rows(features))
        self.y: list[int] = [int(v) for v in labels]
        if len(self.x) != len(self.y):
            raise ValueError(f"mismatch: {len(self.x)} != {len(self.y)}")
        self.transform = transform
        print(f"PairDataset: {len(self)} samples, {self.num_features} features")

    @property
    def num_features(self) -> int:
        return self.x[0].numel() if self.x else 0

    def __len__(self) -> int:
        return len(self.y)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.x[index]
        if self.transform is not None:
            x = self.transform(x)
        return x, torch.tensor(self.y[index])
