"""dataset-pairs: write a Dataset of (features, label) pairs.

Edit this file, then run `grader check dataset-pairs <this file>` to try the public checks.
"""

import torch
from torch.utils.data import Dataset


class PairDataset(Dataset):
    """Samples (x, y): x a float32 1-D tensor (optionally transformed), y an int64 scalar tensor."""

    def __init__(self, features, labels, transform=None):
        # TODO: raise ValueError when len(features) != len(labels)
        # TODO: convert or store the features and labels
        self.features = features
        self.labels = labels
        self.transform = transform

    def __len__(self):
        # TODO: return the number of samples
        return 0

    def __getitem__(self, index):
        # TODO: x as a float32 1-D tensor, transformed once when a transform is given
        # TODO: y as an int64 scalar tensor; negative indices count from the end
        x = torch.tensor(self.features[index])
        y = torch.tensor(self.labels[index])
        return x, y
