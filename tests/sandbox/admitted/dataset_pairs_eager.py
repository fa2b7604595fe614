"""dataset-pairs, style: eager conversion in __init__, private attributes, explicit index checks."""

import numpy as np
import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        if len(features) != len(labels):
            raise ValueError(f"{len(features)} features but {len(labels)} labels")
        rows = [np.asarray(row, dtype=np.float32) for row in features]
        self._x = torch.as_tensor(np.stack(rows)) if rows else torch.empty(0, 0)
        self._y = torch.as_tensor(np.asarray(labels, dtype=np.int64))
        self._transform = transform

    def __len__(self):
        return len(self._y)

    def __getitem__(self, index):
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"index {index} out of range for {n} samples")
        x = self._x[index].clone()
        if self._transform is not None:
            x = self._transform(x)
        return x, self._y[index]
