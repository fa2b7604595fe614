"""Bug: y is torch.tensor([label]), shape (1,) instead of a scalar; batches of y become (B, 1)."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("length mismatch")
        self.x = [torch.as_tensor(f, dtype=torch.float32) for f in features]
        self.labels = [int(v) for v in labels]
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.transform is not None:
            x = self.transform(x)
        return x, torch.tensor([self.labels[i]], dtype=torch.int64)
