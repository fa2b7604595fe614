# Passes the policy: DataLoader with worker processes forks. The OS layer must refuse the fork.
import torch
from torch.utils.data import DataLoader, TensorDataset


def add_one(x):
    loader = DataLoader(TensorDataset(torch.zeros(64)), batch_size=4, num_workers=2)
    total = 0
    for (batch,) in loader:
        total += len(batch)
    return x + 1
