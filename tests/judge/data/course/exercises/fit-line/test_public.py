import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import expect


def test_returns_list(submission):
    model = nn.Linear(1, 1)
    loader = DataLoader(TensorDataset(torch.ones(4, 1), torch.ones(4, 1)), batch_size=2)
    losses = submission.train(model, loader, epochs=1)
    expect(type(losses) is list, en="train should return a list", zh="train 应返回列表")
