"""Hidden checks for module-mlp: an MLP built to a given architecture.

The learner's model lives in the executor; the checks never trust what it says about itself.
They read the shapes in ``model.state_dict()``, load weights they chose themselves with
``model.load_state_dict`` and compare ``model(x)`` with their own forward pass computed from those
weights: so the architecture, the registration of the layers and the forward pass are all facts
the outputs show. Dropout is observed in the outputs too: in eval and training mode, and, with
weights the check loads, after each hidden layer. A model whose layers are not registered cannot
be given the check's weights, so the checks that need them fail with a message that says so.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch

from grader.checks import assert_close, assert_tensor, expect, fail, points, type_name

# id -> (in_features, hidden, out_features, input shape)
ARCHS = {
    "one_hidden": (5, [8], 3, (4, 5)),
    "three_hidden": (2, (6, 7, 4), 1, (3, 2)),
    "no_hidden": (4, [], 2, (6, 4)),
    "extra_dims": (3, [5], 2, (2, 4, 3)),
}
UNREGISTERED_EN = (
    " (are the layers in a plain Python list? keep them in nn.Sequential, nn.ModuleList or "
    "self attributes so they are registered)"
)
UNREGISTERED_ZH = "（层是不是放在普通 Python 列表里了？请放进 nn.Sequential、nn.ModuleList 或赋给 self 的属性，让它们注册为子模块）"


def build(submission, in_features, hidden, out_features, dropout=0.0, seed=0):
    torch.manual_seed(seed)
    return submission.MLP(in_features, hidden, out_features, dropout=dropout)


def arch_text(in_features, hidden, out_features):
    return f"MLP({in_features}, {list(hidden)}, {out_features})"


def expected_sizes(in_features, hidden, out_features):
    sizes = [in_features, *hidden, out_features]
    return list(zip(sizes[:-1], sizes[1:]))


def state_of(model, arch):
    """``model.state_dict()`` (a copy): names and tensors, nothing else."""
    sd = model.state_dict()
    if type(sd) not in (dict, OrderedDict) or not all(
        type(k) is str and type(v) is torch.Tensor for k, v in sd.items()
    ):
        fail(
            en=f"{arch}: model.state_dict() should map names to tensors, got {type_name(sd)}",
            zh=f"{arch}：model.state_dict() 应当是名字到张量的映射，实际为 {type_name(sd)}",
        )
    return sd


def find_layers(sd, in_features, hidden, out_features, *, require_bias, allow_extra):
    """The state_dict entries of each Linear of the architecture, in order: a list of
    (weight name, bias name or None). A layer is found by its weight's shape (every architecture
    checked here has distinct layer shapes); its bias is the entry named like the weight."""
    arch = arch_text(in_features, hidden, out_features)
    if not sd:
        fail(
            en=f"{arch}: model.state_dict() is empty, so no layer is registered" + UNREGISTERED_EN,
            zh=f"{arch}：model.state_dict() 是空的，没有任何层注册为子模块" + UNREGISTERED_ZH,
        )
    layers = []
    used = set()
    for a, b in expected_sizes(in_features, hidden, out_features):
        names = [k for k, v in sd.items() if k not in used and tuple(v.shape) == (b, a)]
        if not names:
            have = ", ".join(f"{k} {tuple(v.shape)}" for k, v in sd.items())
            fail(
                en=f"{arch}: the layer Linear({a}→{b}) needs a weight of shape {(b, a)} in "
                f"model.state_dict(); it has: {have}",
                zh=f"{arch}：层 Linear({a}→{b}) 在 model.state_dict() 中应有形状为 {(b, a)} 的权重；"
                f"实际只有：{have}",
            )
        weight = names[0]
        bias = weight[: -len("weight")] + "bias" if weight.endswith("weight") else None
        if bias not in sd or tuple(sd[bias].shape) != (b,):
            bias = None
        if bias is None and require_bias:
            fail(
                en=f"{arch}: every nn.Linear needs a bias; Linear({a}→{b}) ({weight}) has none",
                zh=f"{arch}：每个 nn.Linear 都要有偏置；Linear({a}→{b})（{weight}）没有",
            )
        used.update(n for n in (weight, bias) if n is not None)
        layers.append((weight, bias))
    extra = [k for k in sd if k not in used]
    if extra and not allow_extra:
        fail(
            en=f"{arch}: model.state_dict() has entries that no layer of the architecture accounts "
            f"for: {extra}",
            zh=f"{arch}：model.state_dict() 中有不属于该结构任何一层的条目：{extra}",
        )
    return layers


def judge_state(sd, fill):
    """A new state dict with the same names, shapes and dtypes, values ``fill(name, tensor)``."""
    return OrderedDict(
        (k, fill(k, v) if v.is_floating_point() else v.clone()) for k, v in sd.items()
    )


def random_fill(gen, scale=0.6):
    return lambda _name, v: (torch.randn(v.shape, generator=gen, dtype=torch.float64) * scale).to(
        v.dtype
    )


def reference_forward(state, layers, x):
    """Linear -> ReLU for every layer but the last, with plain float64 arithmetic."""
    h = x.detach().to(torch.float64)
    for i, (weight, bias) in enumerate(layers):
        h = h @ state[weight].to(torch.float64).T
        if bias is not None:
            h = h + state[bias].to(torch.float64)
        if i < len(layers) - 1:
            h = h.clamp_min(0)
    return h.to(x.dtype)


def forward(model, x):
    with torch.no_grad():
        return model(x)


@points(1)
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


@points(1.5)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden"])
def test_layer_sizes(submission, case):
    """The model registers one nn.Linear per layer, with the exact sizes and a bias each, and its
    forward pass uses every one of those weights and biases (changing any of them, through
    load_state_dict, changes the output)."""
    in_features, hidden, out_features, shape = ARCHS[case]
    arch = arch_text(in_features, hidden, out_features)
    model = build(submission, in_features, hidden, out_features)
    sd = state_of(model, arch)
    layers = find_layers(
        sd, in_features, hidden, out_features, require_bias=True, allow_extra=False
    )
    # Positive weights, biases and inputs: every unit is active, so any change shows.
    gen = torch.Generator().manual_seed(11)
    base = judge_state(
        sd, lambda _k, v: (torch.rand(v.shape, generator=gen) * 0.4 + 0.1).to(v.dtype)
    )
    x = torch.rand(shape, generator=gen) + 0.5
    model.load_state_dict(base)
    out0 = forward(model, x)
    assert_tensor(
        out0, shape=(*shape[:-1], out_features), what_en=f"{arch}(x)", what_zh=f"{arch}(x)"
    )
    sizes = expected_sizes(in_features, hidden, out_features)
    expect(
        len(layers) == len(sizes),
        en=f"{arch} should have {len(sizes)} Linear layers, found {len(layers)}",
        zh=f"{arch} 应有 {len(sizes)} 个 Linear 层，实际找到 {len(layers)} 个",
    )
    for (a, b), (weight, bias) in zip(sizes, layers, strict=True):
        for name in (weight, bias):
            changed = OrderedDict(base)
            changed[name] = base[name] + 0.25
            model.load_state_dict(changed)
            out = forward(model, x)
            expect(
                type(out) is torch.Tensor
                and out.shape == out0.shape
                and not bool(torch.equal(out, out0)),
                en=f"{arch}: changing {name} (of Linear({a}→{b})) with load_state_dict does not "
                "change model(x): forward does not use that registered layer",
                zh=f"{arch}：用 load_state_dict 改变 {name}（Linear({a}→{b}) 的参数）后 model(x) 没有变化："
                "forward 没有用到这个已注册的层",
            )


@points(2)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden", "extra_dims"])
def test_forward_values(submission, case):
    """With weights the check loads, the output is Linear → ReLU → ... → Linear, with no
    activation after the last layer."""
    in_features, hidden, out_features, shape = ARCHS[case]
    arch = arch_text(in_features, hidden, out_features)
    model = build(submission, in_features, hidden, out_features)
    sd = state_of(model, arch)
    layers = find_layers(
        sd, in_features, hidden, out_features, require_bias=False, allow_extra=True
    )
    gen = torch.Generator().manual_seed(5)
    state = judge_state(sd, random_fill(gen))
    x = torch.randn(shape, generator=gen) * 2
    expected = reference_forward(state, layers, x)
    model.load_state_dict(state)
    assert_close(
        model(x),
        expected,
        rtol=1e-5,
        atol=1e-5,
        what_en=f"{arch}(x) (expected Linear → ReLU → ... → Linear)",
        what_zh=f"{arch}(x) 的结果（应为 Linear → ReLU → ... → Linear）",
    )


@points(1)
@pytest.mark.parametrize("case", ["one_hidden", "three_hidden", "no_hidden"])
def test_parameter_count(submission, case):
    """model.parameters() holds exactly the weights and biases of the architecture: the tensors
    the check loaded with load_state_dict, nothing more."""
    in_features, hidden, out_features, _ = ARCHS[case]
    arch = arch_text(in_features, hidden, out_features)
    model = build(submission, in_features, hidden, out_features)
    want = sum((a + 1) * b for a, b in expected_sizes(in_features, hidden, out_features))
    sd = state_of(model, arch)
    state = judge_state(sd, random_fill(torch.Generator().manual_seed(3)))
    if state:
        model.load_state_dict(state)
    params = list(model.parameters())
    for p in params:
        if type(p) is not torch.nn.Parameter:
            fail(
                en=f"{arch}: model.parameters() should yield nn.Parameter objects, got {type_name(p)}",
                zh=f"{arch}：model.parameters() 应当给出 nn.Parameter，实际为 {type_name(p)}",
            )
    got = sum(p.numel() for p in params)
    unregistered = got == 0 and want > 0
    expect(
        got == want,
        en=f"{arch} should have {want} parameters (weights and biases), model.parameters() has {got}"
        + (UNREGISTERED_EN if unregistered else ""),
        zh=f"{arch} 应有 {want} 个参数（权重与偏置），model.parameters() 中有 {got} 个"
        + (UNREGISTERED_ZH if unregistered else ""),
    )
    loaded = list(state.values())
    for p in params:
        match = next(
            (
                i
                for i, t in enumerate(loaded)
                if t.shape == p.shape and bool(torch.equal(t, p.detach()))
            ),
            None,
        )
        expect(
            match is not None,
            en=f"{arch}: model.parameters() holds a tensor of shape {tuple(p.shape)} that is not "
            "one of the weights loaded with model.load_state_dict",
            zh=f"{arch}：model.parameters() 中有一个形状为 {tuple(p.shape)} 的张量，"
            "不是用 model.load_state_dict 载入的权重之一",
        )
        loaded.pop(match)


@points(1)
@pytest.mark.parametrize("case", ["double", "zeroed_state"])
def test_registered(submission, case):
    """Every layer forward uses is a registered submodule: .double() converts it, and
    load_state_dict reaches it (with every weight and bias set to zero the output is zero)."""
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
                en=f"after model.double(), {arch}(x) with a float64 x failed ({str(exc)[:120]}): "
                "some layer was not converted, so it is not registered as a submodule",
                zh=f"调用 model.double() 后，用 float64 的 x 计算 {arch}(x) 出错（{str(exc)[:120]}）："
                "有的层没有被转换，说明它没有注册为子模块",
            )
        assert_tensor(
            out,
            dtype=torch.float64,
            what_en=f"{arch}(x) after model.double()",
            what_zh=f"model.double() 之后 {arch}(x) 的结果",
        )
        return
    sd = state_of(model, arch)
    zeros = judge_state(sd, lambda _k, v: torch.zeros_like(v))
    model.load_state_dict(zeros)
    x = torch.randn(shape) * 3 + 1
    out = forward(model, x)
    assert_tensor(out, shape=(shape[0], out_features), what_en=f"{arch}(x)", what_zh=f"{arch}(x)")
    expect(
        not bool(out.any()),
        en=f"after loading all-zero weights and biases into every entry of model.state_dict(), "
        f"{arch}(x) should be all zeros, but it is not: forward uses a layer that is not "
        "registered" + UNREGISTERED_EN,
        zh=f"把 model.state_dict() 中的每个权重和偏置都载入为 0 之后，{arch}(x) 应全为 0，但并非如此："
        "forward 用到了没有注册的层" + UNREGISTERED_ZH,
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
    assert_tensor(
        second,
        shape=(16, 4),
        what_en="model(x) in eval mode",
        what_zh="eval 模式下 model(x) 的结果",
    )
    expect(
        bool(torch.equal(first, second)),
        en="after model.eval(), two forward passes on the same input differ: dropout is still active "
        "(F.dropout needs training=self.training)",
        zh="调用 model.eval() 后，同一输入的两次前向结果不同：Dropout 仍在起作用"
        "（F.dropout 需要传 training=self.training）",
    )


EVERY_LAYER_ARCH = (4, [8, 6], 5)


def check_dropout_every_hidden_layer(submission):
    """MLP(4, [8, 6], 5, dropout=0.5) in training mode, with weights the check loads and zero
    biases: layer 1 copies x twice into the 8 units, layer 2 sums all 8 units into each of its 6,
    the output layer reads units 0..4 of hidden layer 2; the same positive x in every row. The
    dropout after hidden layer 2 zeroes single elements within a row; the dropout after hidden
    layer 1 changes which units each sum gets, so the rows' values differ. Neither depends on the
    activation, and a dropout after the output layer changes neither."""
    arch = "MLP(4, [8, 6], 5, dropout=0.5)"
    model = build(submission, *EVERY_LAYER_ARCH, dropout=0.5)
    sd = state_of(model, arch)
    (w1, _), (w2, _), (w3, _) = find_layers(
        sd, *EVERY_LAYER_ARCH, require_bias=False, allow_extra=True
    )
    state = judge_state(sd, lambda _k, v: torch.zeros_like(v))
    state[w1] = torch.cat([torch.eye(4), torch.eye(4)])
    state[w2] = torch.ones(6, 8)
    state[w3] = torch.eye(6)[:5]
    model.load_state_dict(state)
    model.train()
    x = torch.tensor([1.0, 2.0, 4.0, 8.0]).repeat(64, 1)
    torch.manual_seed(4)
    out = forward(model, x)
    assert_tensor(
        out, shape=(64, 5), dtype=torch.float32, what_en=f"{arch}(x)", what_zh=f"{arch}(x)"
    )
    kept = out != 0
    mixed_rows = int((kept.any(1) & ~kept.all(1)).sum())
    expect(
        mixed_rows >= 8,
        en=f"{arch} in training mode: the units of the last hidden layer are never dropped one by "
        "one: there is no dropout after the last hidden layer (every hidden layer is "
        "Linear → ReLU → Dropout)",
        zh=f"{arch} 在训练模式下：最后一个隐藏层的单元从没有被单独丢弃："
        "最后一个隐藏层后面没有 Dropout（每个隐藏层都是 Linear → ReLU → Dropout）",
    )
    values = {round(float(v), 3) for v in out[kept].tolist()}
    expect(
        len(values) >= 4,
        en=f"{arch} in training mode: every row gives the same values, so the units of the first "
        "hidden layer are never dropped: there is no dropout after the first hidden layer (every "
        "hidden layer is Linear → ReLU → Dropout)",
        zh=f"{arch} 在训练模式下：每一行的值都一样，说明第一个隐藏层的单元从没有被丢弃："
        "第一个隐藏层后面没有 Dropout（每个隐藏层都是 Linear → ReLU → Dropout）",
    )


@points(1)
@pytest.mark.parametrize("case", ["varies", "every_hidden_layer"])
def test_dropout_train(submission, case):
    """In training mode with dropout=0.5 the hidden activations are dropped (outputs vary), after
    every hidden layer."""
    if case == "every_hidden_layer":
        check_dropout_every_hidden_layer(submission)
        return
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
    for out in (first, second):
        assert_tensor(
            out,
            shape=(16, 4),
            what_en="model(x) in training mode",
            what_zh="训练模式下 model(x) 的结果",
        )
    expect(
        not torch.equal(first, reference) and not torch.equal(first, second),
        en="with dropout=0.5 in training mode, the output does not change from pass to pass: the "
        "dropout argument is ignored",
        zh="dropout=0.5 且处于训练模式时，每次前向的输出却都一样：dropout 参数没有起作用",
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
    assert_tensor(
        reference, shape=(16, 4), what_en="MLP(6, [], 4)(x)", what_zh="MLP(6, [], 4)(x) 的结果"
    )
    assert_tensor(out, shape=(16, 4), what_en="MLP(6, [], 4)(x)", what_zh="MLP(6, [], 4)(x) 的结果")
    expect(
        bool(torch.equal(out, reference)),
        en="MLP(6, [], 4, dropout=0.5) has no hidden layer, so nothing should be dropped, but its "
        "output changes in training mode: there is dropout after the output layer",
        zh="MLP(6, [], 4, dropout=0.5) 没有隐藏层，不应丢弃任何东西，但训练模式下输出变了："
        "输出层后面加了 Dropout",
    )


@points(1)
@pytest.mark.parametrize("case", ["dropout_default", "dropout_positional"])
def test_signature(submission, case):
    """The signature is MLP(in_features, hidden, out_features, dropout=0.0): built without a
    dropout argument, training mode drops nothing (the default is 0.0); dropout given as the
    fourth positional argument behaves exactly as dropout=... does (same weights, same dropout
    masks). Observed in the outputs, never read from the source."""
    in_features, hidden, out_features = DROPOUT_ARCH
    x = torch.randn(16, in_features)
    if case == "dropout_default":
        call = f"MLP({in_features}, {list(hidden)}, {out_features})"
        torch.manual_seed(0)
        model = submission.MLP(in_features, hidden, out_features)
        with torch.no_grad():
            model.eval()
            reference = model(x)
            model.train()
            torch.manual_seed(1)
            out = model(x)
    else:
        call = f"MLP({in_features}, {list(hidden)}, {out_features}, 0.5)"
        outs = []
        for positional in (False, True):
            torch.manual_seed(0)
            if positional:
                model = submission.MLP(in_features, hidden, out_features, 0.5)
            else:
                model = submission.MLP(in_features, hidden, out_features, dropout=0.5)
            model.train()
            torch.manual_seed(1)
            outs.append(forward(model, x))
        reference, out = outs
    for value in (reference, out):
        assert_tensor(value, shape=(16, out_features), what_en=f"{call}(x)", what_zh=f"{call}(x)")
    if case == "dropout_default":
        expect(
            bool(torch.equal(out, reference)),
            en=f"{call} in training mode drops activations, but without a dropout argument the "
            "rate is 0.0: the signature is MLP(in_features, hidden, out_features, dropout=0.0)",
            zh=f"{call} 在训练模式下丢弃了激活值，但不传 dropout 时丢弃率应为 0.0："
            "签名是 MLP(in_features, hidden, out_features, dropout=0.0)",
        )
    else:
        expect(
            bool(torch.equal(out, reference)),
            en=f"{call} in training mode differs from the same model built with dropout=0.5: the "
            "fourth positional argument is the dropout rate (signature "
            "MLP(in_features, hidden, out_features, dropout=0.0))",
            zh=f"{call} 在训练模式下的输出与用 dropout=0.5 构造的同一模型不同：第四个位置参数就是丢弃率"
            "（签名是 MLP(in_features, hidden, out_features, dropout=0.0)）",
        )
