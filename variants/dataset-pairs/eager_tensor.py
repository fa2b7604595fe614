"""Correct: converts everything once, in __init__, to one float32 matrix and an int64 vector."""

import numpy as np
import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("features and labels must have the same length")
        self.x = torch.as_tensor(np.asarray([np.asarray(f) for f in features], dtype=np.float32))
        self.y = torch.as_tensor(np.asarray(labels), dtype=torch.int64)
        self.transform = transform

    def __len__(self):
        return self.y.shape[0]

    def __getitem__(self, i):
        x = self.x[i]
        if self.transform:
            x = self.transform(x)
        return x, self.y[i]
