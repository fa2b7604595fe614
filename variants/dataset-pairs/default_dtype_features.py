"""Bug: torch.tensor(row) without a dtype: int lists give int64, float64 arrays stay float64."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("length mismatch")
        self.features = features
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.as_tensor(self.features[i])
        y = torch.tensor(int(self.labels[i]), dtype=torch.int64)
        if self.transform is not None:
            x = self.transform(x)
        return x, y
