"""Correct: normalises negative indices by hand and raises IndexError itself; prints a summary."""

import numpy as np
import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        n_features, n_labels = len(features), len(labels)
        if n_features != n_labels:
            raise ValueError(f"got {n_features} features and {n_labels} labels")
        self.rows = [np.asarray(f, dtype=np.float64) for f in features]
        self.labels = np.asarray(labels, dtype=np.int64)
        self.transform = transform
        print(f"PairDataset with {n_features} samples")

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"index out of range for {n} samples")
        x = torch.tensor(self.rows[index], dtype=torch.float32)
        y = torch.tensor(self.labels[index])
        if self.transform is not None:
            x = self.transform(x)
        return x, y
