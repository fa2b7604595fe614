"""Reference solution for dataset-pairs: a map-style Dataset of (features, label) pairs."""

import numpy as np
import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    """Samples (x, y): x a float32 1-D tensor (optionally transformed), y an int64 scalar tensor."""

    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError(
                f"features and labels differ in length: {len(features)} != {len(labels)}"
            )
        rows = [torch.as_tensor(np.asarray(f), dtype=torch.float32).reshape(-1) for f in features]
        self.features = rows
        self.labels = [int(label) for label in labels]
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        x = self.features[index]  # a list: negative indices and IndexError for free
        y = torch.tensor(self.labels[index], dtype=torch.int64)
        if self.transform is not None:
            x = self.transform(x)
        return x, y
