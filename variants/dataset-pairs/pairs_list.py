"""Correct: a list of ready (x, y) pairs built with zip and a helper."""

import torch
from torch.utils.data import Dataset


def to_pair(features, label):
    return torch.tensor([float(v) for v in features]), torch.tensor(int(label))


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError("features/labels length mismatch")
        self.pairs = [to_pair(f, label) for f, label in zip(features, labels)]
        self.transform = transform

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        x, y = self.pairs[i]
        return (self.transform(x) if self.transform is not None else x), y
