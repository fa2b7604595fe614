"""Hidden checks for train-step-device: one training step that follows the model's device.

The model (standard ``torch.nn`` layers) is put on the exercise's device (CUDA when the grader has
a GPU, else the CPU) and the batch is left on the CPU, as a DataLoader gives it. The learner's
code runs in the executor: the model and optimizer come back with the step merged into them, and
every scored check compares them with a reference step taken, before the call, on a copy.

On the CPU, moving the batch to the model's device and moving the model to the batch's device are
both no-ops that change no output; on CUDA a batch left on the CPU makes every check fail and a
model moved to the CPU fails test_model_not_moved. The ``.to`` calls themselves only the executor
can see, so they are not graded: the public checks test_batch_moved_to_model_device and
test_model_move_calls report them from an executor-side recorder (the point of the former hidden
test_batch_moved_to_model_device went to test_zeroes_gradients and test_train_mode).
"""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from grader.checks import assert_close, expect, fail, points, type_name


def make_model(out_features=3, batchnorm=False):
    """Linear(4, 8), BatchNorm1d(8) (or Identity), ReLU, Linear(8, out_features)."""
    return nn.Sequential(
        nn.Linear(4, 8),
        nn.BatchNorm1d(8) if batchnorm else nn.Identity(),
        nn.ReLU(),
        nn.Linear(8, out_features),
    )


def setup(device, *, out_features=3, batchnorm=False, optimizer="sgd_momentum", seed=0):
    """The learner's model and optimizer on ``device``, and an identical reference pair."""
    torch.manual_seed(seed)
    model = make_model(out_features, batchnorm).to(device)
    reference = copy.deepcopy(model)
    return model, make_optimizer(optimizer, model), reference, make_optimizer(optimizer, reference)


def make_optimizer(kind, model):
    if kind == "adam":
        return torch.optim.Adam(model.parameters(), lr=0.01)
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def make_batch(seed, classes=False, n=6):
    """A CPU batch, as a DataLoader yields it."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 4, generator=gen)
    y = torch.randint(0, 3, (n,), generator=gen) if classes else torch.randn(n, 3, generator=gen)
    return x, y


def reference_step(model, optimizer, batch, loss_fn, device):
    model.train()
    optimizer.zero_grad()
    x, y = batch
    loss = loss_fn(model(x.to(device)), y.to(device))
    loss.backward()
    optimizer.step()
    return loss.item()


def compare_parameters(model, reference, what_en, what_zh):
    """Every parameter equals the reference's; the model keeps exactly the reference's parameters
    (a train_step that swaps layers out must not leave nothing to compare)."""
    got = dict(model.named_parameters())
    want = dict(reference.named_parameters())
    if list(got) != list(want):
        fail(
            en=f"{what_en}: the model's parameters changed: expected {list(want)}, got {list(got)} "
            "(train_step must not replace the model's layers)",
            zh=f"{what_zh}：模型的参数被改变了：应为 {list(want)}，实际为 {list(got)}"
            "（train_step 不应替换模型的层）",
        )
    for name, q in want.items():
        p = got[name]
        assert_close(
            p.detach(),
            q.detach(),
            rtol=1e-5,
            atol=1e-6,
            what_en=f"{what_en}: parameter {name}",
            what_zh=f"{what_zh}：参数 {name}",
        )


@points(1.5)
@pytest.mark.parametrize("case", ["mse", "cross_entropy"])
def test_returns_float(submission, device, case):
    """train_step returns this step's loss (computed before the update) as a Python float."""
    classes = case == "cross_entropy"
    loss_fn = nn.CrossEntropyLoss() if classes else nn.MSELoss()
    model, optimizer, reference, ref_optimizer = setup(device)
    batch = make_batch(1, classes)
    expected = reference_step(reference, ref_optimizer, batch, loss_fn, device)
    got = submission.train_step(model, batch, optimizer, loss_fn)
    if type(got) is not float:
        fail(
            en=f"train_step should return a Python float, got {type_name(got)} (use loss.item())",
            zh=f"train_step 应返回 Python float，实际为 {type_name(got)}（用 loss.item()）",
        )
    expect(
        abs(got - expected) <= 1e-5 * max(1.0, abs(expected)),
        en=f"train_step returned {got:.6g}; this step's loss (before the update) is {expected:.6g}",
        zh=f"train_step 返回 {got:.6g}；这一步（更新之前）的损失是 {expected:.6g}",
    )


@points(2)
@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
def test_one_step(submission, device, optimizer):
    """After one call the parameters are exactly those of one optimizer step on this batch."""
    model, opt, reference, ref_opt = setup(device, optimizer=optimizer)
    batch = make_batch(2)
    reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
    submission.train_step(model, batch, opt, nn.MSELoss())
    compare_parameters(model, reference, "after one train_step", "调用一次 train_step 之后")


@points(2)
@pytest.mark.parametrize("case", ["stale_from_caller", "consecutive_calls"])
def test_zeroes_gradients(submission, device, case):
    """Gradients are zeroed before every backward: stale ones from the caller and from the
    previous call (three calls in a row, each compared with the reference's step)."""
    model, opt, reference, ref_opt = setup(device)
    if case == "stale_from_caller":
        for p in model.parameters():
            p.grad = torch.full_like(p, 5.0)
        batches = [make_batch(3)]
    else:
        batches = [make_batch(3), make_batch(4), make_batch(5)]
    for k, batch in enumerate(batches, start=1):
        reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
        submission.train_step(model, batch, opt, nn.MSELoss())
        if case == "stale_from_caller":
            what, what_zh = "with stale gradients left by the caller", "调用者留下旧梯度时"
        else:
            what, what_zh = f"after {k} consecutive calls", f"连续调用 {k} 次之后"
        compare_parameters(model, reference, what, what_zh)


@points(2)
def test_train_mode(submission, device):
    """A model left in eval mode is switched to training mode, in every call: its BatchNorm uses
    the batch statistics, so the parameters match the reference's step. The check clears the
    gradients before each call, so only the mode is at stake here."""
    model, opt, reference, ref_opt = setup(device, batchnorm=True)
    for k, seed in enumerate((6, 7), start=1):
        for m in (model, reference):
            m.eval()
            for p in m.parameters():
                p.grad = None
        batch = make_batch(seed)
        reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
        submission.train_step(model, batch, opt, nn.MSELoss())
        compare_parameters(
            model,
            reference,
            f"a model left in eval mode, after call {k} of train_step (call model.train())",
            f"模型原处于 eval 模式，第 {k} 次调用 train_step 之后（请调用 model.train()）",
        )


@points(1)
def test_targets_keep_dtype(submission, device):
    """Class-index targets stay int64, so CrossEntropyLoss works."""
    model, opt, reference, ref_opt = setup(device)
    batch = make_batch(7, classes=True)
    reference_step(reference, ref_opt, batch, nn.CrossEntropyLoss(), device)
    try:
        submission.train_step(model, batch, opt, nn.CrossEntropyLoss())
    except RuntimeError as exc:
        fail(
            en="with int64 class targets and nn.CrossEntropyLoss, train_step failed "
            f"({str(exc).splitlines()[0][:160]}): move the targets with .to(device) only, keep their dtype",
            zh="目标为 int64 类别下标、损失为 nn.CrossEntropyLoss 时 train_step 出错"
            f"（{str(exc).splitlines()[0][:160]}）：只用 .to(device) 移动目标，保持其 dtype",
        )
    compare_parameters(model, reference, "with int64 class targets", "目标为 int64 类别下标时")


@points(1)
def test_model_not_moved(submission, device):
    """After train_step every parameter and buffer is still on the model's device with its dtype,
    and the caller's optimizer still holds the model's parameters."""
    model, opt, *_ = setup(device, batchnorm=True)
    before = {name: (t.device.type, t.dtype) for name, t in model.state_dict().items()}
    submission.train_step(model, make_batch(9), opt, nn.MSELoss())
    after = {name: (t.device.type, t.dtype) for name, t in model.state_dict().items()}
    for name, (where, dtype) in before.items():
        got = after.get(name)
        expect(
            got == (where, dtype),
            en=f"after train_step the model's {name} should still be a {dtype} tensor on {where}, "
            f"got {'nothing' if got is None else f'{got[1]} on {got[0]}'} (do not move or convert "
            f"the model; move the batch to the model's device instead)",
            zh=f"train_step 之后模型的 {name} 应仍是位于 {where} 的 {dtype} 张量，实际为 "
            f"{'不存在' if got is None else f'位于 {got[0]} 的 {got[1]}'}（不要移动或转换模型，"
            f"应当把批次移到模型所在设备）",
        )
    held = {id(p) for group in opt.param_groups for p in group["params"]}
    expect(
        all(id(p) in held for p in model.parameters()),
        en="after train_step the optimizer no longer holds the model's parameters (do not replace "
        "the model's parameters or layers)",
        zh="train_step 之后优化器不再持有模型的参数（不要替换模型的参数或层）",
    )


@points(0.5)
def test_list_batch(submission, device):
    """A batch given as a list [inputs, targets], as a DataLoader over a TensorDataset yields
    it, is trained on exactly as the same batch given as a tuple: two identical models, one
    step each, give the same result and the same parameters. The check compares the two calls
    with each other only (whether one step is right is the other checks' business)."""
    x, y = make_batch(5)
    results, states = [], []
    for batch in ((x, y), [x, y]):
        model, opt, _, _ = setup(device)
        try:
            results.append(submission.train_step(model, batch, opt, nn.MSELoss()))
        except Exception as exc:
            if type(batch) is tuple:
                raise
            fail(
                en=f"train_step(model, [inputs, targets], ...) raised {type(exc).__name__}: a batch "
                "may be a list as well as a tuple (a DataLoader over a TensorDataset yields lists)",
                zh=f"train_step(model, [inputs, targets], ...) 抛出了 {type(exc).__name__}：批次可以是"
                "列表，也可以是元组（TensorDataset 上的 DataLoader 给出的就是列表）",
            )
        states.append({k: v.detach().cpu().clone() for k, v in model.state_dict().items()})
    same_result = type(results[0]) is type(results[1]) and (
        bool(torch.equal(results[0], results[1]))
        if type(results[0]) is torch.Tensor
        else results[0] == results[1]
    )
    same_state = states[0].keys() == states[1].keys() and all(
        bool(torch.equal(states[0][k], states[1][k])) for k in states[0]
    )
    expect(
        same_result and same_state,
        en="train_step on a list batch [inputs, targets] does not do what it does on the same "
        "batch as a tuple (inputs, targets): a batch may be a list as well as a tuple",
        zh="train_step 对列表形式的批次 [inputs, targets] 所做的事与对同一批次的元组形式 "
        "(inputs, targets) 不同：批次可以是列表，也可以是元组",
    )
