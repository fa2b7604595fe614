"""Public checks for fix-training-loop: run them with `grader check fix-training-loop FILE`."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.checks import executor_object, expect, fail, loss_decreases


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
        en=f"train(..., epochs=3) should return a list of 3 values, got {losses!r}",
        zh=f"train(..., epochs=3) 应当返回含 3 个值的列表，实际为 {losses!r}",
    )
    loss_decreases(losses)


def test_no_graph_kept(submission, device):
    """No autograd graph outlives its step (accumulate loss.item(), not loss).

    Feedback only: this rule of the statement is not graded, because only the process that runs
    your code can see which autograd graphs are alive. The model here is a grader probe that
    notices a graph kept alive across steps."""
    probe = executor_object("fix_training_loop_graph_probe", device)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(10, 3, generator=g, dtype=torch.float64)
    y = x.sum(dim=1, keepdim=True)
    loader = DataLoader(TensorDataset(x.to(device), y.to(device)), batch_size=4)
    submission.train(probe, loader, epochs=2, lr=0.05)
    report = probe.report()
    if type(report) is not dict:
        fail(en="the graph probe did not answer", zh="计算图探针没有应答")
    kept = report.get("kept")
    if type(kept) is list and kept and type(kept[0]) is list and len(kept[0]) == 2:
        step, older = kept[0]
        fail(
            en=f"at training step {step} the autograd graph of step {older} was still alive: "
            f"something keeps a tensor attached to the graph (e.g. `total += loss`; "
            f"use `total += loss.item()`)",
            zh=f"在第 {step} 步训练时，第 {older} 步的计算图仍然存活：有东西保留着连在计算图上的张量"
            f"（例如 `total += loss`；应写 `total += loss.item()`）",
        )
    alive = report.get("alive")
    n_alive = len(alive) if type(alive) is list else 0
    expect(
        n_alive == 0,
        en=f"after train returned, the autograd graphs of {n_alive} steps were still alive "
        f"(does something keep tensors that require grad?)",
        zh=f"train 返回后仍有 {n_alive} 步的计算图存活（是否有东西保留着需要梯度的张量？）",
    )
