"""Hidden checks for forward-hook-activations: record submodule outputs with forward hooks.

The hooks are the learner's code, so the model they are registered on stays in the executor
(``in_executor``) and the check runs it there (``m(x)``); what ``record_activations`` returns is
kept there too (``keep_result``), and ``result[0]`` brings a copy of the activations dict as it is
now. Expected activations are computed by calling the submodules of the check's own copy of the
model one after another. Whether a hook is still registered is a fact only the executor could
report, so removal is judged from what later forward passes do: to ``activations`` (``remove``),
and to the model's output (an unknown name).
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch
from torch import nn

from grader.checks import (
    CheckFailed,
    assert_close,
    expect,
    fail,
    in_executor,
    is_remote,
    keep_result,
    points,
    type_name,
)


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


class Recording:
    """What record_activations returned, kept in the executor with the model it hooked."""

    def __init__(self, submission, model, names):
        self.model = in_executor(model)  # a copy, with the learner's hooks, stays there
        self.result = keep_result(submission.record_activations, self.model, list(names))
        if type_name(self.result) not in ("tuple", "list") or len(self.result) != 2:
            fail(
                en="record_activations should return a pair (activations, remove), got a "
                f"{type_name(self.result)}",
                zh=f"record_activations 应返回一对值 (activations, remove)，实际为 {type_name(self.result)}",
            )
        self.acts()  # a plain dict from the start
        remove = self.result[1]
        if not is_remote(remove):
            fail(
                en=f"remove should be a function, got {type_name(remove)}",
                zh=f"remove 应当是一个函数，实际为 {type_name(remove)}",
            )
        self.remove = remove

    def acts(self) -> dict:
        """A copy of the activations dict as it is now."""
        acts = self.result[0]
        if type(acts) is not dict:
            fail(
                en=f"activations should be a plain dict, got {type_name(acts)}",
                zh=f"activations 应当是普通 dict，实际为 {type_name(acts)}",
            )
        return acts

    def forward(self, x):
        """The hooked model's output for x, computed in the executor (the hooks run there)."""
        return self.model(x)


def check_recorded(acts, names, expected):
    got_keys = sorted(str(k) for k in acts)
    expect(
        got_keys == sorted(names),
        en=f"after a forward pass, activations should have the keys {sorted(names)}; got {got_keys}",
        zh=f"前向传播之后 activations 的键应为 {sorted(names)}；实际为 {got_keys}",
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
    x = torch.randn(4, 5)
    want = expected_activations(model, x)
    rec = Recording(submission, model, names)
    expect(
        not rec.acts(),
        en="activations should be empty before any forward pass",
        zh="在前向传播之前 activations 应为空",
    )
    rec.forward(x)
    check_recorded(rec.acts(), names, want)


@points(1.5)
def test_nested_names(submission):
    """Dotted names from named_modules() ("encoder.0", "encoder.2") address nested submodules."""
    model = make_model()
    names = ["encoder.0", "encoder.1", "encoder.2"]
    x = torch.randn(3, 5)
    want = expected_activations(model, x)
    rec = Recording(submission, model, names)
    rec.forward(x)
    check_recorded(rec.acts(), names, want)


@points(1.5)
@pytest.mark.parametrize("name", ["head", "act"])
def test_detached(submission, name):
    """Stored activations are detached: requires_grad False, even when x requires grad."""
    rec = Recording(submission, make_model(), [name])
    x = torch.randn(4, 5, requires_grad=True)
    rec.forward(x)
    value = rec.acts().get(name)
    if type(value) is not torch.Tensor:
        fail(
            en=f"activations[{name!r}] should be a tensor after a forward pass, got {type_name(value)}",
            zh=f"前向传播之后 activations[{name!r}] 应当是张量，实际为 {type_name(value)}",
        )
    expect(
        not value.requires_grad,
        en=f"activations[{name!r}] is still attached to the autograd graph; store output.detach()",
        zh=f"activations[{name!r}] 仍连在计算图上；请保存 output.detach()",
    )


@points(1.5)
def test_output_unchanged(submission):
    """The hooks change neither the model's output nor the gradients flowing through it."""
    model = make_model()
    x = torch.randn(4, 5, requires_grad=True)
    expected_out = model(x)
    expected_out.sum().backward()
    expected_grad = x.grad.clone()
    x.grad = None

    rec = Recording(submission, model, ["encoder", "act", "head"])  # every hook, the last too
    out = rec.forward(x)
    expect(
        bool(rec.acts()),
        en="after a forward pass activations is still empty: the hooks record nothing (register "
        "one forward hook per name)",
        zh="前向传播之后 activations 仍为空：钩子什么也没有记录（请为每个名字注册一个前向钩子）",
    )
    if type(out) is not torch.Tensor:
        fail(
            en=f"with the hooks registered, the model returned a {type_name(out)}, not a tensor",
            zh=f"注册钩子后模型返回了 {type_name(out)}，而不是张量",
        )
    assert_close(
        out.detach(),
        expected_out.detach(),
        what_en="the model's output with hooks",
        what_zh="注册钩子后模型的输出",
    )
    cut_en = (
        "with the hooks registered, no gradient reaches the model's input: a hook returned a "
        "detached tensor, which replaced the module's output (hooks must return None)"
    )
    cut_zh = (
        "注册钩子后梯度传不到模型的输入：某个钩子返回了 detach 后的张量，替换了模块的输出"
        "（钩子必须返回 None）"
    )
    expect(out.requires_grad, en=cut_en, zh=cut_zh)
    out.sum().backward()
    expect(x.grad is not None, en=cut_en, zh=cut_zh)
    assert_close(
        x.grad,
        expected_grad,
        what_en="the gradient of the model's input with hooks",
        what_zh="注册钩子后模型输入的梯度",
    )


@points(1)
def test_latest_call_wins(submission):
    """A second forward pass overwrites the stored activation."""
    model = make_model()
    x1, x2 = torch.randn(4, 5), torch.randn(2, 5)
    want = expected_activations(model, x2)["act"]
    rec = Recording(submission, model, ["act"])
    rec.forward(x1)
    rec.forward(x2)
    assert_close(
        rec.acts().get("act"),
        want,
        what_en="activations['act'] after a second forward pass (it should hold the latest output)",
        what_zh="第二次前向之后的 activations['act']（应保存最新的输出）",
    )


@points(1.5)
def test_remove(submission):
    """remove() removes every hook: later forward passes leave activations alone."""
    names = ["encoder", "act", "head"]
    rec = Recording(submission, make_model(), names)
    rec.forward(torch.randn(4, 5))
    before = rec.acts()
    if not before or any(
        type(v) is not torch.Tensor or v.dim() == 0 or v.shape[0] != 4 for v in before.values()
    ):
        fail(
            en="after a forward pass with a batch of 4, activations should hold that pass's outputs "
            f"(got {sorted(str(k) for k in before)}); the hooks record nothing, so remove() cannot "
            "be tried",
            zh="用 4 个样本前向之后，activations 应保存这次前向的输出"
            f"（实际键为 {sorted(str(k) for k in before)}）；钩子什么也没有记录，无法检查 remove()",
        )
    rec.remove()
    for batch in (2, 3):  # every later pass, with batch sizes a hook would leave a trace of
        rec.forward(torch.randn(batch, 5))
        after = rec.acts()
        changed = sorted(
            str(k)
            for k in set(before) | set(after)
            if k not in before
            or k not in after
            or type(after[k]) is not torch.Tensor
            or after[k].shape != before[k].shape
            or not torch.equal(after[k], before[k])
        )
        expect(
            not changed,
            en=f"after remove(), a forward pass still changed activations{changed}; keep every "
            "handle and call .remove() on each",
            zh=f"调用 remove() 之后，前向传播仍然改动了 activations{changed}；请保存每个 handle 并逐一调用 .remove()",
        )


def make_rnn_model():
    """A model whose submodule returns a tuple: a leftover hook that stores output.detach()
    breaks its forward pass, so the hook shows in the output."""
    torch.manual_seed(1)
    return nn.Sequential(OrderedDict(rnn=nn.GRU(5, 4, batch_first=True)))


@points(1)
def test_unknown_name(submission):
    """An unknown name raises KeyError and leaves the model as it was (no hook behind)."""
    for model, names in (
        (make_model(), ["head", "decoder"]),
        (make_rnn_model(), ["rnn", "decoder"]),
    ):
        x = torch.randn(3, 2, 5) if names[0] == "rnn" else torch.randn(3, 5)
        with torch.no_grad():
            want = model(x)
        m = in_executor(model)
        try:
            submission.record_activations(m, names)
        except KeyError:
            pass
        else:
            fail(
                en=f"record_activations(model, {names}) should raise KeyError: 'decoder' is not a "
                "submodule",
                zh=f"record_activations(model, {names}) 应抛出 KeyError：'decoder' 不是子模块",
            )
        leftover_en = (
            f"after the KeyError of record_activations(model, {names}), the model no longer "
            "behaves as before: a hook was left behind; check every name before registering any "
            "hook"
        )
        leftover_zh = (
            f"record_activations(model, {names}) 抛出 KeyError 之后，模型的行为变了：留下了钩子；"
            "应先检查所有名字，再注册钩子"
        )
        try:
            with torch.no_grad():
                got = m(x)
        except CheckFailed:
            raise
        except Exception as exc:
            why = f"{type(exc).__name__}: {str(exc)[:200]}"
            fail(
                en=f"{leftover_en} (calling the model raised {why})",
                zh=f"{leftover_zh}（调用模型时抛出 {why}）",
            )
        if type(want) is tuple and (type(got) is not tuple or len(got) != len(want)):
            fail(en=leftover_en, zh=leftover_zh)
        for g, w in zip(got, want, strict=True) if type(want) is tuple else [(got, want)]:
            assert_close(
                g,
                w,
                what_en="the model's output after the KeyError",
                what_zh="KeyError 之后模型的输出",
            )
