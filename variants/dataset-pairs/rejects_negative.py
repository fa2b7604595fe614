"""Bug: treats every negative index as out of range."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("length mismatch")
        self.x = [torch.as_tensor(f, dtype=torch.float32) for f in features]
        self.y = [torch.tensor(int(v), dtype=torch.int64) for v in labels]
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        if i < 0 or i >= len(self.x):
            raise IndexError(i)
        x = self.x[i]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.y[i]
