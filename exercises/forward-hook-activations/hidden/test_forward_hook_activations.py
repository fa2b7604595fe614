"""Hidden checks for forward-hook-activations: record submodule outputs with forward hooks.

Expected activations are computed by calling the submodules one after another in the check; the
checks that count hooks read the modules' hook dictionaries directly (check code is trusted).
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch
from torch import nn

from grader.checks import assert_close, expect, fail, points


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(
        OrderedDict(
            encoder=nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 6)),
            act=nn.Tanh(),
            head=nn.Linear(6, 2),
        )
    )


def expected_activations(model, x):
    """Every submodule's output for input x, by name, computed step by step."""
    enc = model.encoder
    with torch.no_grad():
        out = {"encoder.0": enc[0](x)}
        out["encoder.1"] = enc[1](out["encoder.0"])
        out["encoder.2"] = enc[2](out["encoder.1"])
        out["encoder"] = out["encoder.2"]
        out["act"] = model.act(out["encoder"])
        out["head"] = model.head(out["act"])
    return out


def record(submission, model, names):
    result = submission.record_activations(model, list(names))
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(
            "record_activations should return a pair (activations, remove)",
            "record_activations 应返回一对值 (activations, remove)",
        )
    acts, remove = result
    if type(acts) is not dict:
        fail(
            f"activations should be a plain dict, got {type(acts).__name__}",
            f"activations 应当是普通 dict，实际为 {type(acts).__name__}",
        )
    if not callable(remove):
        fail(
            f"remove should be a function, got {type(remove).__name__}",
            f"remove 应当是一个函数，实际为 {type(remove).__name__}",
        )
    return acts, remove


def hook_count(model) -> int:
    return sum(len(m._forward_hooks) for m in model.modules())


def check_recorded(acts, names, expected):
    got_keys = sorted(str(k) for k in acts)
    expect(
        got_keys == sorted(names),
        f"after a forward pass, activations should have the keys {sorted(names)}; got {got_keys}",
        f"前向传播之后 activations 的键应为 {sorted(names)}；实际为 {got_keys}",
    )
    for name in names:
        assert_close(
            acts[name],
            expected[name],
            what_en=f"activations[{name!r}] (the output of {name})",
            what_zh=f"activations[{name!r}]（{name} 的输出）",
        )


@points(2)
def test_records_outputs(submission):
    """After a forward pass, activations maps each requested top-level name to its output."""
    model = make_model()
    names = ["encoder", "act", "head"]
    acts, _ = record(submission, model, names)
    expect(
        not acts,
        "activations should be empty before any forward pass",
        "在前向传播之前 activations 应为空",
    )
    x = torch.randn(4, 5)
    model(x)
    check_recorded(acts, names, expected_activations(model, x))


@points(1.5)
def test_nested_names(submission):
    """Dotted names from named_modules() ("encoder.0", "encoder.2") address nested submodules."""
    model = make_model()
    names = ["encoder.0", "encoder.1", "encoder.2"]
    acts, _ = record(submission, model, names)
    x = torch.randn(3, 5)
    model(x)
    check_recorded(acts, names, expected_activations(model, x))


@points(1.5)
@pytest.mark.parametrize("name", ["head", "act"])
def test_detached(submission, name):
    """Stored activations are detached: no grad_fn, requires_grad False, even when x requires grad."""
    model = make_model()
    acts, _ = record(submission, model, [name])
    x = torch.randn(4, 5, requires_grad=True)
    model(x)
    value = acts.get(name)
    if type(value) is not torch.Tensor:
        fail(
            f"activations[{name!r}] should be a tensor after a forward pass, got {type(value).__name__}",
            f"前向传播之后 activations[{name!r}] 应当是张量，实际为 {type(value).__name__}",
        )
    expect(
        value.grad_fn is None and not value.requires_grad,
        f"activations[{name!r}] is still attached to the autograd graph; store output.detach()",
        f"activations[{name!r}] 仍连在计算图上；请保存 output.detach()",
    )


@points(1.5)
def test_output_unchanged(submission):
    """The hooks change neither the model's output nor the gradients of any parameter."""
    model = make_model()
    x = torch.randn(4, 5)
    expected_out = model(x)
    expected_out.sum().backward()
    expected_grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad()
    record(submission, model, ["encoder", "act"])
    out = model(x)
    assert_close(
        out.detach(),
        expected_out.detach(),
        what_en="the model's output with hooks",
        what_zh="注册钩子后模型的输出",
    )
    out.sum().backward()
    for name, p in model.named_parameters():
        if p.grad is None:
            fail(
                f"with the hooks registered, {name} gets no gradient: a hook returned a detached "
                "tensor, which replaced the module's output (hooks must return None)",
                f"注册钩子后 {name} 没有梯度：某个钩子返回了 detach 后的张量，替换了模块的输出"
                "（钩子必须返回 None）",
            )
        assert_close(
            p.grad,
            expected_grads[name],
            what_en=f"the gradient of {name} with hooks",
            what_zh=f"注册钩子后 {name} 的梯度",
        )


@points(1)
def test_latest_call_wins(submission):
    """A second forward pass overwrites the stored activation."""
    model = make_model()
    acts, _ = record(submission, model, ["act"])
    model(torch.randn(4, 5))
    x2 = torch.randn(2, 5)
    model(x2)
    value = acts.get("act")
    assert_close(
        value,
        expected_activations(model, x2)["act"],
        what_en="activations['act'] after a second forward pass (it should hold the latest output)",
        what_zh="第二次前向之后的 activations['act']（应保存最新的输出）",
    )


@points(1.5)
def test_remove(submission):
    """remove() removes every hook; later forward passes leave activations alone."""
    model = make_model()
    names = ["encoder", "act", "head"]
    acts, remove = record(submission, model, names)
    expect(
        hook_count(model) == len(names),
        f"record_activations should register {len(names)} hooks, found {hook_count(model)}",
        f"record_activations 应注册 {len(names)} 个钩子，实际有 {hook_count(model)} 个",
    )
    x = torch.randn(4, 5)
    model(x)
    remove()
    left = hook_count(model)
    expect(
        left == 0,
        f"after remove(), {left} of the {len(names)} hooks are still registered; keep every "
        "handle and call .remove() on each",
        f"调用 remove() 之后 {len(names)} 个钩子中仍有 {left} 个未移除；请保存每个 handle 并逐一调用 .remove()",
    )
    before = dict(acts)
    model(torch.randn(2, 5))
    changed = sorted(
        str(k) for k in set(before) | set(acts) if k not in before or acts.get(k) is not before[k]
    )
    expect(
        not changed,
        f"after remove(), a forward pass still changed activations{changed}",
        f"调用 remove() 之后，前向传播仍然改动了 activations{changed}",
    )


@points(1)
def test_unknown_name(submission):
    """An unknown name raises KeyError and leaves no hook behind."""
    model = make_model()
    try:
        submission.record_activations(model, ["head", "decoder"])
    except KeyError:
        pass
    else:
        fail(
            "record_activations(model, ['head', 'decoder']) should raise KeyError: 'decoder' is "
            "not a submodule",
            "record_activations(model, ['head', 'decoder']) 应抛出 KeyError：'decoder' 不是子模块",
        )
    left = hook_count(model)
    expect(
        left == 0,
        f"after the KeyError, {left} hook(s) were left registered; check every name before "
        "registering any hook",
        f"抛出 KeyError 之后仍留下了 {left} 个钩子；应先检查所有名字，再注册钩子",
    )
