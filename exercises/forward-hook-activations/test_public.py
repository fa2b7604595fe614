"""Public checks for forward-hook-activations: run them with `grader check forward-hook-activations FILE`."""

from collections import OrderedDict

import torch
from torch import nn

from grader.checks import assert_close, expect, fail, in_executor, keep_result, type_name


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
    x = torch.randn(4, 5)
    with torch.no_grad():
        y = model(x)  # the check's own copy of the model, without hooks
    hooked = in_executor(model)  # a copy that stays with your code, where your hooks run
    result = keep_result(submission.record_activations, hooked, ["encoder.1", "head"])
    if type_name(result) not in ("tuple", "list") or len(result) != 2:
        fail(
            en="record_activations should return a pair (activations, remove)",
            zh="record_activations 应返回一对值 (activations, remove)",
        )
    hooked(x)
    acts = result[0]  # a copy of your activations dict as it is now
    if type(acts) is not dict:
        fail(
            en=f"activations should be a plain dict, got {type_name(acts)}",
            zh=f"activations 应当是普通 dict，实际为 {type_name(acts)}",
        )
    expect(
        sorted(str(k) for k in acts) == ["encoder.1", "head"],
        en=f"activations should have the keys ['encoder.1', 'head'], got {sorted(str(k) for k in acts)}",
        zh=f"activations 的键应为 ['encoder.1', 'head']，实际为 {sorted(str(k) for k in acts)}",
    )
    assert_close(acts["head"], y, what_en="activations['head']", what_zh="activations['head']")
    result[1]()  # remove()


def test_unknown_name(submission):
    """An unknown name raises KeyError."""
    try:
        submission.record_activations(in_executor(make_model()), ["decoder"])
    except KeyError:
        return
    fail(
        en="record_activations(model, ['decoder']) should raise KeyError",
        zh="record_activations(model, ['decoder']) 应抛出 KeyError",
    )
