"""Hidden checks for train-step-device: one training step that follows the model's device.

The model is put on the exercise's device (CUDA when the grader has a GPU, else the CPU) and the
batch is left on the CPU, as a DataLoader gives it. On a CPU-only machine "moving" the batch is a
no-op, so test_batch_moved_to_model_device records the ``.to`` calls made inside train_step (a
TorchFunctionMode installed by the check), and the check's model records every attempt to move
it. Every other check compares the parameters after the step with a reference step taken on a
copy of the model, so the returned value is only looked at by test_returns_float.
"""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from grader.checks import assert_close, expect, fail, points


class Net(nn.Module):
    """A small model that records every attempt to move or convert it (Module._apply)."""

    def __init__(self, out_features: int = 3, batchnorm: bool = False) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.norm = nn.BatchNorm1d(8) if batchnorm else nn.Identity()
        self.fc2 = nn.Linear(8, out_features)
        self.moves: list[str] = []

    def forward(self, x):
        return self.fc2(torch.relu(self.norm(self.fc1(x))))

    def _apply(self, fn, recurse=True):
        self.moves.append(getattr(fn, "__name__", "convert"))
        return super()._apply(fn, recurse)


def setup(device, *, out_features=3, batchnorm=False, optimizer="sgd_momentum", seed=0):
    """The learner's model and optimizer on ``device``, and an identical reference pair."""
    torch.manual_seed(seed)
    model = Net(out_features, batchnorm).to(device)
    reference = copy.deepcopy(model)
    model.moves.clear()
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
    for (name, p), (_, q) in zip(model.named_parameters(), reference.named_parameters()):
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
            f"train_step should return a Python float, got {type(got).__name__} (use loss.item())",
            f"train_step 应返回 Python float，实际为 {type(got).__name__}（用 loss.item()）",
        )
    expect(
        abs(got - expected) <= 1e-5 * max(1.0, abs(expected)),
        f"train_step returned {got:.6g}; this step's loss (before the update) is {expected:.6g}",
        f"train_step 返回 {got:.6g}；这一步（更新之前）的损失是 {expected:.6g}",
    )


@points(2.5)
@pytest.mark.parametrize("optimizer", ["sgd_momentum", "adam"])
def test_one_step(submission, device, optimizer):
    """After one call the parameters are exactly those of one optimizer step on this batch."""
    model, opt, reference, ref_opt = setup(device, optimizer=optimizer)
    batch = make_batch(2)
    reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
    submission.train_step(model, batch, opt, nn.MSELoss())
    compare_parameters(model, reference, "after one train_step", "调用一次 train_step 之后")


@points(1.5)
@pytest.mark.parametrize("case", ["stale_from_caller", "consecutive_calls"])
def test_zeroes_gradients(submission, device, case):
    """Gradients are zeroed before backward: stale ones from the caller and from the previous call."""
    model, opt, reference, ref_opt = setup(device)
    if case == "stale_from_caller":
        for p in model.parameters():
            p.grad = torch.full_like(p, 5.0)
        batches = [make_batch(3)]
    else:
        batches = [make_batch(3), make_batch(4), make_batch(5)]
    for batch in batches:
        reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
        submission.train_step(model, batch, opt, nn.MSELoss())
    what = (
        "with stale gradients left by the caller"
        if case == "stale_from_caller"
        else "after 3 calls"
    )
    what_zh = "调用者留下旧梯度时" if case == "stale_from_caller" else "连续调用 3 次之后"
    compare_parameters(model, reference, what, what_zh)


@points(1.5)
def test_train_mode(submission, device):
    """A model left in eval mode is switched to training mode (BatchNorm uses batch statistics)."""
    model, opt, reference, ref_opt = setup(device, batchnorm=True)
    model.eval()
    batch = make_batch(6)
    reference_step(reference, ref_opt, batch, nn.MSELoss(), device)
    submission.train_step(model, batch, opt, nn.MSELoss())
    expect(
        model.training,
        "after train_step the model should be in training mode (call model.train())",
        "train_step 之后模型应处于训练模式（调用 model.train()）",
    )
    compare_parameters(
        model,
        reference,
        "a model left in eval mode, after train_step",
        "模型原处于 eval 模式，train_step 之后",
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
            "with int64 class targets and nn.CrossEntropyLoss, train_step failed "
            f"({str(exc).splitlines()[0][:160]}): move the targets with .to(device) only, keep their dtype",
            "目标为 int64 类别下标、损失为 nn.CrossEntropyLoss 时 train_step 出错"
            f"（{str(exc).splitlines()[0][:160]}）：只用 .to(device) 移动目标，保持其 dtype",
        )
    compare_parameters(model, reference, "with int64 class targets", "目标为 int64 类别下标时")


_MOVERS = {torch.Tensor.to, torch.Tensor.cuda, torch.Tensor.cpu, torch.as_tensor, torch.tensor}


def _target_device(func, args, kwargs):
    """The device a recorded call moves its tensor to, or None when it does not name one."""
    kwargs = kwargs or {}
    if func is torch.Tensor.cpu:
        return torch.device("cpu")
    if func is torch.Tensor.cuda:
        index = kwargs.get("device", args[1] if len(args) > 1 else None)
        return torch.device("cuda", torch.cuda.current_device() if index is None else index)
    if "device" in kwargs and kwargs["device"] is not None:
        return torch.device(kwargs["device"])
    for arg in args[1:]:
        if isinstance(arg, (str, torch.device, int)) and not isinstance(arg, bool):
            return torch.device(arg)
        if isinstance(arg, torch.Tensor):
            return arg.device
    return None


def _same_device(a: torch.device, b: torch.device) -> bool:
    if a.type != b.type:
        return False
    if a.type != "cuda":
        return True
    index_a = torch.cuda.current_device() if a.index is None else a.index
    index_b = torch.cuda.current_device() if b.index is None else b.index
    return index_a == index_b


class _MoveRecorder(TorchFunctionMode):
    """Records (tensor, target device) for every .to/.cuda/.cpu/as_tensor call while active."""

    def __init__(self) -> None:
        super().__init__()
        self.moves: list[tuple[object, torch.device | None]] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func in _MOVERS and args:
            try:
                target = _target_device(func, args, kwargs)
            except (RuntimeError, TypeError, ValueError):
                target = None
            self.moves.append((args[0], target))
        return func(*args, **(kwargs or {}))


@points(1)
def test_batch_moved_to_model_device(submission, device):
    """train_step calls .to(device) on the inputs and on the targets, with the model's device."""
    model, opt, *_ = setup(device)
    x, y = make_batch(8)
    model_device = next(model.parameters()).device
    recorder = _MoveRecorder()
    with recorder:
        submission.train_step(model, (x, y), opt, nn.MSELoss())
    for tensor, name, name_zh in ((x, "inputs", "输入"), (y, "targets", "目标")):
        targets = [t for obj, t in recorder.moves if obj is tensor]
        ok = any(t is not None and _same_device(t, model_device) for t in targets)
        expect(
            ok,
            f"train_step never moved the {name} to the model's device ({model_device}); call "
            f".to(device) on them with device = next(model.parameters()).device",
            f"train_step 没有把{name_zh}移到模型所在的设备（{model_device}）；请对它调用 .to(device)，"
            "其中 device = next(model.parameters()).device",
        )


@points(1)
def test_model_not_moved(submission, device):
    """train_step never moves or converts the model; its parameters stay the same objects."""
    model, opt, *_ = setup(device)
    before = [(id(p), p.device) for p in model.parameters()]
    submission.train_step(model, make_batch(9), opt, nn.MSELoss())
    expect(
        not model.moves,
        "train_step moved or converted the model (model.to / .cuda / .cpu / ...); move the batch "
        "to the model instead",
        "train_step 移动或转换了模型（model.to / .cuda / .cpu 等）；应当把批次移到模型所在设备",
    )
    after = [(id(p), p.device) for p in model.parameters()]
    expect(
        before == after,
        "the model's parameters were replaced or moved by train_step",
        "train_step 替换或移动了模型的参数",
    )
