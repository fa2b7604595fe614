"""dataset-pairs, style: lazy per-item conversion with numpy and torch.from_numpy."""

import numpy as np
import torch
import torch.utils.data as data


class PairDataset(data.Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = features
        self.labels = labels
        self.transform = transform
        if len(self.features) != len(self.labels):
            raise ValueError("features and labels differ in length")

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        if i >= len(self) or i < -len(self):
            raise IndexError(i)
        row = self.features[i]
        if isinstance(row, torch.Tensor):
            row = row.detach().cpu().numpy()
        x = torch.from_numpy(np.array(row, dtype=np.float32))
        y = torch.tensor(int(self.labels[i]), dtype=torch.int64)
        return (self.transform(x) if self.transform else x), y
