"""dataset-pairs, style: map/zip/enumerate, a lambda default, unpacking, one stacked tensor."""

import torch
from torch.utils.data import Dataset

identity = lambda t: t  # noqa: E731


class PairDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        pairs = list(zip(features, labels))  # noqa: B905
        if len(pairs) != len(features) or len(pairs) != len(labels):
            raise ValueError("features and labels must have the same length")
        self.n = 0
        for _ in enumerate(pairs):
            self.n += 1
        as_row = lambda f: torch.as_tensor(f, dtype=torch.float64).flatten()  # noqa: E731
        self.table = torch.stack(list(map(as_row, features))).float() if pairs else torch.zeros(0)
        self.targets = torch.tensor([int(y) for _, y in pairs], dtype=torch.int64)
        self.transform = transform
        self.uses_transform = transform is not None

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        try:
            row, target = self.table[i], self.targets[i]
        except IndexError:
            raise IndexError(f"no sample {i}") from None
        return (self.transform if self.uses_transform else identity)(row), target
