"""Public checks for clip-accumulate: run them with `grader check clip-accumulate FILE`."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import assert_close, expect


def test_worked_example(submission, device):
    """The statement's example: 5 micro-batches, accum_steps=2, max_norm=1.0."""
    model = nn.Linear(1, 1, bias=False).to(device)
    with torch.no_grad():
        model.weight.fill_(1.0)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0], [5.0]], device=device)
    loader = DataLoader(TensorDataset(x, torch.zeros(5, 1, device=device)), batch_size=1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    norms = submission.train_accumulated(
        model, loader, opt, nn.MSELoss(), accum_steps=2, max_norm=1.0
    )
    expect(
        type(norms) is list
        and len(norms) == 3
        and all(type(n) is float for n in norms)
        and all(abs(n - want) < 1e-4 for n, want in zip(norms, (5.0, 22.5, 20.0))),
        en=f"train_accumulated should return [5.0, 22.5, 20.0], got {norms!r}",
        zh=f"train_accumulated 应返回 [5.0, 22.5, 20.0]，实际为 {norms!r}",
    )
    assert_close(
        model.weight.detach(),
        torch.tensor([[0.7]], device=device),
        rtol=1e-5,
        atol=1e-5,
        what_en="model.weight after the pass",
        what_zh="遍历之后的 model.weight",
    )
