"""Public checks for fix-training-loop: run them with `grader check fix-training-loop FILE`."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import expect, loss_decreases


def _problem(device):
    torch.manual_seed(0)
    model = nn.Linear(3, 1).to(device)
    x = torch.randn(32, 3, device=device)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]], device=device) + 0.3
    return model, DataLoader(TensorDataset(x, y), batch_size=8)


def test_returns_one_float_per_epoch(submission, device):
    """train returns one Python float per epoch."""
    model, loader = _problem(device)
    losses = submission.train(model, loader, epochs=3, lr=0.1)
    expect(
        type(losses) is list and len(losses) == 3,
        f"train(..., epochs=3) should return a list of 3 values, got {losses!r}",
        f"train(..., epochs=3) 应当返回含 3 个值的列表，实际为 {losses!r}",
    )
    loss_decreases(losses)
