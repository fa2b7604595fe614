"""Hidden checks for prune-linear: permanent L1-unstructured pruning of an nn.Linear's weight.

A pruning result is judged from the weights before and after, so any tie-breaking passes: with
P the positions that are zero afterwards and K the others, the kept weights are unchanged, |P| is
max(k, number of zeros before) and every pruned |w| is <= every kept |w|.

The learner's code runs in the executor: the layer a check passes comes back with the learner's
changes merged into it, and the returned layer is a judge-side copy. Whether the returned object
*is* the argument is something only the executor could tell, so "returns the same layer" is judged
by state: the given layer was pruned in place and the returned layer's state equals it. Every
reference (the weights before) is taken on the check's own layer before the call.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from grader.checks import assert_close, expect, fail, points, type_name


def make_layer(in_features, out_features, device, dtype=torch.float32, bias=True, seed=0):
    torch.manual_seed(seed)
    layer = nn.Linear(in_features, out_features, bias=bias)
    return layer.to(device=device, dtype=dtype)


def weight_values(layer, what_en="the layer's weight", what_zh="层的 weight"):
    """The weight as a detached float64 CPU copy (any tensor type accepted here)."""
    w = getattr(layer, "weight", None)
    if not isinstance(w, torch.Tensor):
        fail(
            en=f"{what_en} should be a tensor, got {type(w).__name__}",
            zh=f"{what_zh} 应当是张量，实际为 {type(w).__name__}",
        )
    return w.detach().to("cpu", torch.float64).clone()


def check_pruned(before, after, k, context_en, context_zh, smallest=True):
    """``after`` is ``before`` with k of its entries zeroed (the smallest |w| unless told not to
    look at which ones)."""
    if tuple(after.shape) != tuple(before.shape):
        fail(
            en=f"{context_en}: weight should keep shape {tuple(before.shape)}, got {tuple(after.shape)}",
            zh=f"{context_zh}：weight 的形状应保持 {tuple(before.shape)}，实际为 {tuple(after.shape)}",
        )
    zeros_before = int((before == 0).sum())
    pruned = after == 0
    kept = ~pruned
    n_pruned = int(pruned.sum())
    expected = max(k, zeros_before)
    if n_pruned != expected:
        fail(
            en=f"{context_en}: expected exactly {expected} zero weights (k = {k} of {before.numel()}), "
            f"got {n_pruned}",
            zh=f"{context_zh}：应当恰好有 {expected} 个权重为零（k = {k}，共 {before.numel()} 个），"
            f"实际有 {n_pruned} 个",
        )
    changed = kept & (after != before)
    if bool(changed.any()):
        fail(
            en=f"{context_en}: {int(changed.sum())} weights that were not pruned changed value",
            zh=f"{context_zh}：有 {int(changed.sum())} 个未被剪枝的权重数值被改变了",
        )
    if smallest and n_pruned and int(kept.sum()):
        largest_pruned = float(before[pruned].abs().max())
        smallest_kept = float(before[kept].abs().min())
        if largest_pruned > smallest_kept:
            fail(
                en=f"{context_en}: a weight with |w| = {largest_pruned:.4g} was pruned while one with "
                f"|w| = {smallest_kept:.4g} was kept; prune the smallest absolute values",
                zh=f"{context_zh}：剪掉了 |w| = {largest_pruned:.4g} 的权重，却保留了 |w| = "
                f"{smallest_kept:.4g} 的权重；应剪掉绝对值最小的权重",
            )


def run_prune(submission, layer, amount):
    """Call prune_linear; the layer to inspect afterwards.

    That is the returned object when it is an nn.Linear (so returning a copy loses only the
    identity check) and the given layer otherwise (so forgetting the return loses only that too).
    """
    result = submission.prune_linear(layer, amount)
    return result if type(result) is nn.Linear else layer


def prune_and_check(submission, layer, amount, what_en, what_zh, smallest=True):
    before = weight_values(layer)
    layer = run_prune(submission, layer, amount)
    after = weight_values(layer)
    k = round(amount * before.numel())
    check_pruned(before, after, k, what_en, what_zh, smallest=smallest)


def state_of(layer):
    """name -> detached float64 CPU copy of every entry of the layer's state_dict (judge-side)."""
    return {
        name: value.detach().to("cpu", torch.float64).clone()
        for name, value in layer.state_dict().items()
    }


@points(1)
def test_returns_same_layer(submission, device):
    """prune_linear prunes the layer it was given in place and returns that layer.

    Judged by state, not identity: the given layer was pruned (it has new zero weights) and the
    returned object is an nn.Linear whose weight, bias and state_dict equal the given layer's."""
    layer = make_layer(5, 4, device)
    before = weight_values(layer)
    result = submission.prune_linear(layer, 0.5)
    if type(result) is not nn.Linear:
        fail(
            en=f"prune_linear should return the layer it was given (an nn.Linear), got "
            f"{type_name(result)}",
            zh=f"prune_linear 应当返回传入的层（一个 nn.Linear），实际返回 {type_name(result)}",
        )
    after = weight_values(layer)
    zeros_before, zeros_after = int((before == 0).sum()), int((after == 0).sum())
    expect(
        tuple(after.shape) == tuple(before.shape) and zeros_after > zeros_before,
        en=f"the layer passed to prune_linear(layer, 0.5) was not pruned in place "
        f"({zeros_after} zero weights after the call, {zeros_before} before); prune the given "
        f"layer and return it, not a copy",
        zh=f"传给 prune_linear(layer, 0.5) 的层没有被原地剪枝（调用后有 {zeros_after} 个零权重，"
        f"调用前有 {zeros_before} 个）；请对传入的层剪枝并返回它，而不是返回副本",
    )
    got, given = state_of(result), state_of(layer)
    expect(
        sorted(got) == sorted(given),
        en=f"the returned layer is not the layer that was given: its state_dict has "
        f"{sorted(got)}, the given layer's has {sorted(given)}",
        zh=f"返回的层不是传入的层：它的 state_dict 含有 {sorted(got)}，传入的层含有 {sorted(given)}",
    )
    for name in given:
        assert_close(
            got[name],
            given[name],
            rtol=0,
            atol=0,
            what_en=f"the returned layer's {name} (it should be the given layer's)",
            what_zh=f"返回的层的 {name}（应与传入的层相同）",
        )
    assert_close(
        weight_values(result),
        after,
        rtol=0,
        atol=0,
        what_en="the returned layer's weight (it should be the given layer's)",
        what_zh="返回的层的 weight（应与传入的层相同）",
    )


# (in_features, out_features, amount): amount * numel is a whole number here
SMALLEST = {
    "4x3-half": (4, 3, 0.5),
    "5x4-quarter": (5, 4, 0.25),
    "8x2-three-quarters": (8, 2, 0.75),
    "6x6-all": (6, 6, 1.0),
    "3x2-none": (3, 2, 0.0),
}


@points(1.5)
@pytest.mark.parametrize("case", list(SMALLEST))
def test_prunes_smallest(submission, device, case):
    """Exactly k = amount * numel weights are zeroed, those of smallest |w|; the rest are unchanged."""
    in_f, out_f, amount = SMALLEST[case]
    layer = make_layer(in_f, out_f, device, seed=in_f * 10 + out_f)
    prune_and_check(
        submission,
        layer,
        amount,
        f"nn.Linear({in_f}, {out_f}) with amount={amount}",
        f"nn.Linear({in_f}, {out_f})，amount={amount}",
    )


# (in_features, out_features, amount): k = round(amount * numel) with Python's round
ROUNDING = {
    "2.5-rounds-to-2": (10, 1, 0.25),
    "3.6-rounds-to-4": (4, 3, 0.3),
    "1.5-rounds-to-2": (5, 3, 0.1),
    "3.5-rounds-to-4": (7, 1, 0.5),
}


@points(1)
@pytest.mark.parametrize("case", list(ROUNDING))
def test_rounding(submission, device, case):
    """k = round(amount * numel) with Python's round (round half to even), not int() or ceil.

    Only how many weights are zeroed counts here; which ones is test_prunes_smallest's job."""
    in_f, out_f, amount = ROUNDING[case]
    layer = make_layer(in_f, out_f, device, seed=in_f + out_f)
    n = in_f * out_f
    prune_and_check(
        submission,
        layer,
        amount,
        f"nn.Linear({in_f}, {out_f}) with amount={amount} (amount * numel = {amount * n:.3g}, "
        f"round gives {round(amount * n)})",
        f"nn.Linear({in_f}, {out_f})，amount={amount}（amount * numel = {amount * n:.3g}，"
        f"round 得 {round(amount * n)}）",
        smallest=False,
    )


TIED_WEIGHTS = [
    [0.0, 1.0, -1.0, 2.0],
    [0.0, -2.0, 3.0, 1.0],
    [1.0, 0.0, -3.0, 2.0],
]


@points(1.5)
@pytest.mark.parametrize("amount", [0.25, 0.5, 0.75])
def test_ties_and_zeros(submission, device, amount):
    """Weights that are already zero count like any other, and ties still prune exactly k."""
    layer = make_layer(4, 3, device)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(TIED_WEIGHTS))
    prune_and_check(
        submission,
        layer,
        amount,
        f"weights {TIED_WEIGHTS} (three already zero, ties) with amount={amount}",
        f"权重 {TIED_WEIGHTS}（三个已为零，有并列）且 amount={amount}",
    )


@points(1)
def test_permanent(submission, device):
    """Afterwards weight is a plain registered Parameter: no weight_orig, no weight_mask, no forward
    pre-hooks, and forward uses the pruned weight."""
    layer = run_prune(submission, make_layer(6, 4, device), 0.5)
    expect(
        bool((weight_values(layer) == 0).any()),
        en="prune_linear(layer, 0.5) left every weight non-zero: nothing was pruned",
        zh="prune_linear(layer, 0.5) 之后没有任何权重为零：什么都没有剪掉",
    )
    problems = [n for n in ("weight_orig",) if n in layer._parameters]
    problems += [n for n in ("weight_mask",) if n in layer._buffers]
    if layer._forward_pre_hooks:
        problems.append(f"{len(layer._forward_pre_hooks)} forward pre-hook(s)")
    if problems:
        fail(
            en=f"the pruning is not permanent: the layer still has {', '.join(problems)}; "
            f"call prune.remove(layer, 'weight')",
            zh=f"剪枝不是永久的：层上仍有 {', '.join(problems)}；请调用 prune.remove(layer, 'weight')",
        )
    registered = layer._parameters.get("weight")
    if type(registered) is not nn.Parameter or layer.weight is not registered:
        fail(
            en=f"layer.weight should be a registered nn.Parameter, got {type(layer.weight).__name__}",
            zh=f"layer.weight 应当是已注册的 nn.Parameter，实际为 {type(layer.weight).__name__}",
        )
    expect(
        registered.requires_grad,
        en="layer.weight should still require grad after pruning",
        zh="剪枝后 layer.weight 应当仍然 requires_grad",
    )
    torch.manual_seed(1)
    x = torch.randn(3, 6, device=device)
    with torch.no_grad():
        expected = x @ layer.weight.detach().T + layer.bias.detach()
        out = layer(x)
    assert_close(out, expected, what_en="layer(x) after pruning", what_zh="剪枝后的 layer(x)")


@points(1)
@pytest.mark.parametrize("dtype", ["float64", "bfloat16"])
def test_dtype(submission, device, dtype):
    """The pruned weight keeps the layer's dtype."""
    dt = getattr(torch, dtype)
    layer = make_layer(5, 4, device, dtype=dt, seed=3)
    layer = run_prune(submission, layer, 0.5)
    weight = layer.weight
    got = weight.dtype if isinstance(weight, torch.Tensor) else None
    expect(
        got == dt,
        en=f"a {dtype} layer's weight should stay {dtype} after pruning, got {got}",
        zh=f"{dtype} 层的 weight 剪枝后应保持 {dtype}，实际为 {got}",
    )
    zeros = int((weight_values(layer) == 0).sum())
    expect(
        zeros == 10,
        en=f"a {dtype} layer pruned with amount=0.5 should have 10 zero weights of 20, got {zeros}",
        zh=f"{dtype} 层以 amount=0.5 剪枝后 20 个权重中应有 10 个为零，实际为 {zeros} 个",
    )


@points(1)
@pytest.mark.parametrize("bias", ["with_bias", "without_bias"])
def test_bias_untouched(submission, device, bias):
    """The bias is left alone (still a Parameter, same values); a layer without bias works.

    Whether the bias is the very same Parameter object is not observable from the judge (the
    learner's changes are merged into the check's layer, which keeps its Parameters' identity)."""
    layer = make_layer(4, 5, device, bias=bias == "with_bias", seed=5)
    if bias == "without_bias":
        layer = run_prune(submission, layer, 0.5)
        expect(
            layer.bias is None,
            en="a layer without bias should still have bias None",
            zh="没有 bias 的层剪枝后 bias 应仍为 None",
        )
        return
    with torch.no_grad():
        layer.bias.copy_(torch.tensor([0.001, -0.002, 0.0, 5.0, -0.0005]))
    values = layer.bias.detach().clone()  # the reference, on the check's own copy, before the call
    layer = run_prune(submission, layer, 0.8)
    expect(
        "bias_orig" not in layer._parameters and "bias_mask" not in layer._buffers,
        en="prune_linear should not prune the bias (found bias_orig / bias_mask)",
        zh="prune_linear 不应对 bias 剪枝（发现了 bias_orig / bias_mask）",
    )
    bias = layer._parameters.get("bias")
    if type(bias) is not nn.Parameter or not bias.requires_grad:
        fail(
            en=f"layer.bias should stay a registered nn.Parameter that requires grad, got "
            f"{type(layer.bias).__name__}",
            zh=f"layer.bias 应当仍是已注册且 requires_grad 的 nn.Parameter，实际为 "
            f"{type(layer.bias).__name__}",
        )
    assert_close(bias.detach(), values, rtol=0, atol=0, what_en="layer.bias", what_zh="layer.bias")


@points(1)
@pytest.mark.parametrize("amount", [-0.1, 1.5, 2, -1])
def test_amount_out_of_range(submission, device, amount):
    """An amount outside [0, 1] (float or int) raises ValueError."""
    layer = make_layer(4, 3, device)
    try:
        submission.prune_linear(layer, amount)
    except ValueError:
        return
    except Exception as exc:
        fail(
            en=f"prune_linear(layer, {amount!r}) should raise ValueError, got {type(exc).__name__}: {exc}",
            zh=f"prune_linear(layer, {amount!r}) 应当抛出 ValueError，实际抛出 {type(exc).__name__}：{exc}",
        )
    fail(
        en=f"prune_linear(layer, {amount!r}) should raise ValueError (amount outside [0, 1])",
        zh=f"prune_linear(layer, {amount!r}) 应当抛出 ValueError（amount 不在 [0, 1] 内）",
    )


@points(1)
@pytest.mark.parametrize("amount", [1, 0])
def test_int_amount(submission, device, amount):
    """An int amount is a fraction too: 1 prunes every weight, 0 none."""
    layer = make_layer(5, 3, device, seed=7)
    prune_and_check(
        submission,
        layer,
        amount,
        f"amount={amount} (the int, a fraction: {'all' if amount else 'no'} weights)",
        f"amount={amount}（整数，同样表示比例：{'全部' if amount else '不剪'}权重）",
    )
