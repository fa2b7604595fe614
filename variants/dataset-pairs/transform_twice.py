"""Bug: applies the transform eagerly in __init__ and again in __getitem__."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("length mismatch")
        self.x = [torch.as_tensor(f, dtype=torch.float32) for f in features]
        if transform is not None:
            self.x = [transform(x) for x in self.x]
        self.y = torch.as_tensor(list(labels), dtype=torch.int64)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.y[i]
