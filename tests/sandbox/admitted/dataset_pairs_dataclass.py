"""dataset-pairs, style: a dataclass Dataset with __post_init__ validation."""

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch.utils.data import Dataset


@dataclass
class PairDataset(Dataset):
    features: object
    labels: object
    transform: Callable | None = field(default=None)

    def __post_init__(self):
        if len(self.features) != len(self.labels):
            raise ValueError("need one label per feature row")
        self.xs = [torch.as_tensor(f).to(torch.float32).reshape(-1) for f in self.features]
        self.ys = [torch.as_tensor(int(label), dtype=torch.long) for label in self.labels]

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, idx):
        x, y = self.xs[idx], self.ys[idx]
        return (x if self.transform is None else self.transform(x.clone())), y
