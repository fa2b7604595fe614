"""Correct: stores float32 / int64 ndarrays and converts with from_numpy per access."""

import numpy as np
import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        labels = np.array(labels, dtype=np.int64)
        features = np.stack([np.asarray(f, dtype=np.float32) for f in features])
        if features.shape[0] != labels.shape[0]:
            raise ValueError("length mismatch between features and labels")
        self.features, self.labels, self.transform = features, labels, transform

    def __len__(self):
        return int(self.labels.shape[0])

    def __getitem__(self, i):
        x = torch.from_numpy(self.features[i].copy())
        y = torch.from_numpy(np.array(self.labels[i]))
        if self.transform is not None:
            x = self.transform(x)
        return x, y
