"""Canary: judge-check-canary-9c0e17"""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import assert_close, expect, points


def setup(seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(12, 2, generator=g)
    y = x @ torch.tensor([[1.5], [-0.5]]) + 0.25
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    return model, loader


def replay(model, loader, epochs, lr):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    means = []
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for x, y in loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(x)
            count += len(x)
        means.append(total / count)
    return means


@points(1)
def test_losses(submission):
    model, loader = setup()
    reference, ref_loader = setup()
    expected = replay(reference, ref_loader, 2, 0.1)
    model.eval()  # the learner must switch to train mode itself, every epoch
    losses = submission.train(model, loader, epochs=2, lr=0.1)
    expect(
        type(losses) is list and len(losses) == 2 and all(type(v) is float for v in losses),
        en=f"train should return 2 floats, got {losses!r}",
        zh=f"train 应返回 2 个 float，实际为 {losses!r}",
    )
    assert_close(
        torch.tensor(losses, dtype=torch.float64),
        torch.tensor(expected, dtype=torch.float64),
        rtol=1e-5,
        atol=1e-7,
        what_en="the epoch losses",
        what_zh="每个 epoch 的损失",
    )


@points(1)
def test_parameters(submission):
    model, loader = setup(3)
    reference, ref_loader = setup(3)
    replay(reference, ref_loader, 2, 0.1)
    model.eval()
    submission.train(model, loader, epochs=2, lr=0.1)
    ref = reference.state_dict()
    got = model.state_dict()
    expect(
        list(got) == list(ref),
        en=f"the model's state changed: expected {list(ref)}, got {list(got)}",
        zh=f"模型的状态被改变了：应为 {list(ref)}，实际为 {list(got)}",
    )
    for name, value in got.items():
        assert_close(
            value.double(), ref[name].double(), rtol=1e-5, atol=1e-7, what_en=name, what_zh=name
        )
