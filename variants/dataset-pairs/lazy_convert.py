"""Correct: keeps the caller's sequences and converts one sample per access."""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError(f"{len(features)} features but {len(labels)} labels")
        self.features = features
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.features)

    def __getitem__(self, idx):
        x = torch.as_tensor(self.features[idx], dtype=torch.float32)
        y = torch.as_tensor(int(self.labels[idx]), dtype=torch.long)
        if self.transform is not None:
            return self.transform(x), y
        return x, y
