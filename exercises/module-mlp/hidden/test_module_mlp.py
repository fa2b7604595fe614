"""Hidden checks for module-mlp: an MLP built to a given architecture.

The Linear layers a forward pass really calls are found with a global forward hook (installed by
the check, for that one call), so a layer kept in a plain Python list is still found: the shape
and value checks then pass, and only the registration checks fail, with a message that says so.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.modules.module import register_module_forward_hook

from grader.checks import assert_close, assert_tensor, expect, fail, points

# id -> (in_features, hidden, out_features, input shape)
ARCHS = {
    "one_hidden": (5, [8], 3, (4, 5)),
    "three_hidden": (2, (6, 7, 4), 1, (3, 2)),
    "no_hidden": (4, [], 2, (6, 4)),
    "extra_dims": (3, [5], 2, (2, 4, 3)),
}


def build(submission, in_features, hidden, out_features, dropout=0.0, seed=0):
    torch.manual_seed(seed)
    model = submission.MLP(in_features, hidden, out_features, dropout=dropout)
    if not isinstance(model, nn.Module):
        fail(
            f"MLP(...) should be an nn.Module, got {type(model).__name__}",
            f"MLP(...) 应当是 nn.Module，实际为 {type(model).__name__}",
        )
    return model


def arch_text(in_features, hidden, out_features):
    return f"MLP({in_features}, {list(hidden)}, {out_features})"


def forward_recording_linears(model, x):
    """Run model(x); return (output, the nn.Linear modules called, in call order)."""
    called: list[nn.Linear] = []

    def hook(module, args, output):
        if isinstance(module, nn.Linear):
            called.append(module)

    handle = register_module_forward_hook(hook)
    try:
        out = model(x)
    finally:
        handle.remove()
    return out, called


def expected_sizes(in_features, hidden, out_features):
    sizes = [in_features, *hidden, out_features]
    return list(zip(sizes[:-1], sizes[1:]))


def check_linear_sizes(called, in_features, hidden, out_features, require_bias=True):
    want = expected_sizes(in_features, hidden, out_features)
    got = [(m.in_features, m.out_features) for m in called]
    arch = arch_text(in_features, hidden, out_features)
    if got != want:
        fmt = ", ".join(f"Linear({a}→{b})" for a, b in got) or "none"
        exp = ", ".join(f"Linear({a}→{b})" for a, b in want)
        fail(
            f"{arch}: forward should call {exp} in this order; it called {fmt}",
            f"{arch}：forward 应依次调用 {exp}；实际调用的是 {fmt}",
        )
    for m in called if require_bias else ():
        expect(
            m.bias is not None,
            f"{arch}: every nn.Linear needs a bias; Linear({m.in_features}→{m.out_features}) has none",
            f"{arch}：每个 nn.Linear 都要有偏置；Linear({m.in_features}→{m.out_features}) 没有",
        )


@points(1.5)
@pytest.mark.parametrize("case", list(ARCHS))
def test_forward_shape(submission, case):
    """forward returns a float32 tensor of shape (N, *, out_features)."""
    in_features, hidden, out_features, shape = ARCHS[case]
    model = build(submission, in_features, hidden, out_features)
    x = torch.randn(shape)
    arch = arch_text(in_features, hidden, out_features)
    assert_tensor(
        model(x),
        shape=(*shape[:-1], out_features),
        dtype=torch.float32,
        what_en=f"{arch}(x) for x of shape {shape}",
        what_zh=f"{arch}(x)（x 的形状为 {shape}）的结果",
    )


@points(2)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden"])
def test_layer_sizes(submission, case):
    """forward calls one nn.Linear per layer, with the exact sizes, in order, each with a bias."""
    in_features, hidden, out_features, shape = ARCHS[case]
    model = build(submission, in_features, hidden, out_features)
    _, called = forward_recording_linears(model, torch.randn(shape))
    check_linear_sizes(called, in_features, hidden, out_features)


def reference_forward(called, x):
    """Linear -> ReLU for every layer but the last, computed with plain tensor arithmetic."""
    h = x
    for i, layer in enumerate(called):
        h = h @ layer.weight.detach().T
        if layer.bias is not None:
            h = h + layer.bias.detach()
        if i < len(called) - 1:
            h = h.clamp_min(0)
    return h


@points(2)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden", "extra_dims"])
def test_forward_values(submission, case):
    """The output is Linear → ReLU → ... → Linear, with no activation after the last layer."""
    in_features, hidden, out_features, shape = ARCHS[case]
    model = build(submission, in_features, hidden, out_features)
    x = torch.randn(shape) * 2
    out, called = forward_recording_linears(model, x)
    check_linear_sizes(called, in_features, hidden, out_features, require_bias=False)
    arch = arch_text(in_features, hidden, out_features)
    assert_close(
        out,
        reference_forward(called, x),
        what_en=f"{arch}(x) (expected Linear → ReLU → ... → Linear)",
        what_zh=f"{arch}(x) 的结果（应为 Linear → ReLU → ... → Linear）",
    )


def parameters_of(model):
    try:
        return list(model.parameters())
    except Exception as exc:  # a broken parameters() is the learner's mistake
        fail(f"model.parameters() failed: {exc}", f"model.parameters() 出错：{exc}")


@points(1)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden"])
def test_parameter_count(submission, case):
    """model.parameters() holds exactly the weights and biases of the architecture."""
    in_features, hidden, out_features, _ = ARCHS[case]
    model = build(submission, in_features, hidden, out_features)
    want = sum((a + 1) * b for a, b in expected_sizes(in_features, hidden, out_features))
    got = sum(p.numel() for p in parameters_of(model))
    arch = arch_text(in_features, hidden, out_features)
    unregistered = got == 0 and want > 0
    hint_en = " (are the layers in a plain Python list? use nn.ModuleList or nn.Sequential)"
    hint_zh = "（层是不是放在普通 Python 列表里了？请用 nn.ModuleList 或 nn.Sequential）"
    expect(
        got == want,
        f"{arch} should have {want} parameters (weights and biases), model.parameters() has {got}"
        + (hint_en if unregistered else ""),
        f"{arch} 应有 {want} 个参数（权重与偏置），model.parameters() 中有 {got} 个"
        + (hint_zh if unregistered else ""),
    )


@points(1)
@pytest.mark.parametrize("case", ["double", "parameters_cover_layers"])
def test_registered(submission, case):
    """Every layer forward uses is a registered submodule: .double() converts it, .parameters() has it."""
    in_features, hidden, out_features, shape = ARCHS["three_hidden"]
    model = build(submission, in_features, hidden, out_features)
    arch = arch_text(in_features, hidden, out_features)
    if case == "double":
        model.double()
        x = torch.randn(shape, dtype=torch.float64)
        try:
            out = model(x)
        except RuntimeError as exc:
            fail(
                f"after model.double(), {arch}(x) with a float64 x failed ({str(exc)[:120]}): "
                "some layer was not converted, so it is not registered as a submodule",
                f"调用 model.double() 后，用 float64 的 x 计算 {arch}(x) 出错（{str(exc)[:120]}）："
                "有的层没有被转换，说明它没有注册为子模块",
            )
        assert_tensor(
            out,
            dtype=torch.float64,
            what_en=f"{arch}(x) after model.double()",
            what_zh=f"model.double() 之后 {arch}(x) 的结果",
        )
        return
    _, called = forward_recording_linears(model, torch.randn(shape))
    registered = {id(p) for p in parameters_of(model)}
    for layer in called:
        expect(
            all(id(p) in registered for p in (layer.weight, layer.bias) if p is not None),
            f"{arch}: the Linear({layer.in_features}→{layer.out_features}) layer that forward uses is "
            "not in model.parameters(), so an optimizer would never train it; keep layers in "
            "nn.ModuleList or nn.Sequential, not a plain Python list",
            f"{arch}：forward 用到的 Linear({layer.in_features}→{layer.out_features}) 不在 "
            "model.parameters() 中，优化器永远不会训练它；请把层放进 nn.ModuleList 或 "
            "nn.Sequential，而不是普通 Python 列表",
        )


DROPOUT_ARCH = (6, [32, 32], 4)


@points(1)
def test_dropout_eval(submission):
    """In eval mode dropout is off: two forward passes give identical outputs."""
    model = build(submission, *DROPOUT_ARCH, dropout=0.5)
    model.eval()
    x = torch.randn(16, 6)
    with torch.no_grad():
        torch.manual_seed(1)
        first = model(x)
        torch.manual_seed(2)
        second = model(x)
    assert_tensor(
        first, shape=(16, 4), what_en="model(x) in eval mode", what_zh="eval 模式下 model(x) 的结果"
    )
    expect(
        bool(torch.equal(first, second)),
        "after model.eval(), two forward passes on the same input differ: dropout is still active "
        "(F.dropout needs training=self.training)",
        "调用 model.eval() 后，同一输入的两次前向结果不同：Dropout 仍在起作用"
        "（F.dropout 需要传 training=self.training）",
    )


@points(1)
def test_dropout_train(submission):
    """In training mode with dropout=0.5 the hidden activations are dropped (outputs vary)."""
    model = build(submission, *DROPOUT_ARCH, dropout=0.5)
    x = torch.randn(16, 6)
    with torch.no_grad():
        model.eval()
        reference = model(x)
        model.train()
        torch.manual_seed(1)
        first = model(x)
        torch.manual_seed(2)
        second = model(x)
    assert_tensor(
        first,
        shape=(16, 4),
        what_en="model(x) in training mode",
        what_zh="训练模式下 model(x) 的结果",
    )
    expect(
        not torch.equal(first, reference) and not torch.equal(first, second),
        "with dropout=0.5 in training mode, the output does not change from pass to pass: the "
        "dropout argument is ignored",
        "dropout=0.5 且处于训练模式时，每次前向的输出却都一样：dropout 参数没有起作用",
    )


@points(0.5)
def test_no_dropout_on_output(submission):
    """Dropout follows hidden layers only: without hidden layers, training mode changes nothing."""
    model = build(submission, 6, [], 4, dropout=0.5)
    x = torch.randn(16, 6)
    with torch.no_grad():
        model.eval()
        reference = model(x)
        model.train()
        out = model(x)
    assert_tensor(out, shape=(16, 4), what_en="MLP(6, [], 4)(x)", what_zh="MLP(6, [], 4)(x) 的结果")
    expect(
        bool(torch.equal(out, reference)),
        "MLP(6, [], 4, dropout=0.5) has no hidden layer, so nothing should be dropped, but its "
        "output changes in training mode: there is dropout after the output layer",
        "MLP(6, [], 4, dropout=0.5) 没有隐藏层，不应丢弃任何东西，但训练模式下输出变了："
        "输出层后面加了 Dropout",
    )
