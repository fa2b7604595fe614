"""Public checks for forward-hook-activations: run them with `grader check forward-hook-activations FILE`."""

from collections import OrderedDict

import torch
from torch import nn

from grader.checks import assert_close, expect


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(
        OrderedDict(
            encoder=nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 6)),
            act=nn.Tanh(),
            head=nn.Linear(6, 2),
        )
    )


def test_worked_example(submission):
    """The worked example: after model(x), activations['head'] equals the model's output."""
    model = make_model()
    acts, remove = submission.record_activations(model, ["encoder.1", "head"])
    y = model(torch.randn(4, 5))
    expect(
        sorted(acts) == ["encoder.1", "head"],
        f"activations should have the keys ['encoder.1', 'head'], got {sorted(acts)}",
        f"activations 的键应为 ['encoder.1', 'head']，实际为 {sorted(acts)}",
    )
    assert_close(
        acts["head"], y.detach(), what_en="activations['head']", what_zh="activations['head']"
    )
    remove()


def test_unknown_name(submission):
    """An unknown name raises KeyError."""
    model = make_model()
    try:
        submission.record_activations(model, ["decoder"])
    except KeyError:
        return
    expect(
        False,
        "record_activations(model, ['decoder']) should raise KeyError",
        "record_activations(model, ['decoder']) 应抛出 KeyError",
    )
