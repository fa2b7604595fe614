"""Bug: y keeps the labels' dtype (int32 for an int32 ndarray) instead of int64."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("length mismatch")
        self.features = [torch.as_tensor(f, dtype=torch.float32) for f in features]
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.features[i]
        if self.transform is not None:
            x = self.transform(x)
        return x, torch.as_tensor(self.labels[i])
