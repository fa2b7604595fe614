"""Hidden checks for checkpoint-roundtrip: save and restore model, optimizer and epoch.

Saving and loading are checked separately, so a mistake on one side does not cost the other
side's points: the learner's file is read back inside the executor by the grader's helper
(``torch.load(weights_only=True)``; the judge never opens a file the submission wrote) and its
contents are compared with the check's own copies; for the loader, the grader's helper writes a
checkpoint in the contract's format into the executor's scratch folder. One end-to-end check
resumes training and compares with uninterrupted training replayed on a separate judge-side model.

Files are relative names: the learner's code runs with its private scratch folder as the current
directory. The executor (and its folder) lives for all the checks, so every check uses file names
of its own. Models and optimizers are standard objects, so they come back from the learner's code
with its changes merged in: every reference is taken before the call.
"""

from __future__ import annotations

import io

import pytest
import torch
from torch import nn

from grader.checks import (
    CheckFailed,
    assert_close,
    executor_helper,
    expect,
    fail,
    points,
    read_scratch_file,
)

EPOCH = 7


def make_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))


def make_optimizer(kind: str, model: nn.Module) -> torch.optim.Optimizer:
    if kind == "sgd_momentum":
        return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=0.01)


def batches(seed: int, n: int):
    gen = torch.Generator().manual_seed(seed)
    return [(torch.randn(6, 4, generator=gen), torch.randn(6, 2, generator=gen)) for _ in range(n)]


def train(model, optimizer, data):
    model.train()
    for x, y in data:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()


def trained(kind: str):
    """A model and optimizer after a few steps: momentum buffers / Adam moments are non-zero."""
    model = make_model(0)
    optimizer = make_optimizer(kind, model)
    train(model, optimizer, batches(1, 3))
    return model, optimizer


def model_state(model: nn.Module) -> dict:
    """A copy of model.state_dict() (taken before the learner's code sees the model)."""
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def optimizer_buffers(optimizer, what_en: str, what_zh: str) -> dict:
    """Per-parameter optimizer state flattened to {(param index, name): tensor}."""
    try:
        state = optimizer.state_dict()["state"]
        out = {}
        for index, per_param in state.items():
            for name, value in per_param.items():
                out[(int(index), str(name))] = torch.as_tensor(value).detach().clone()
    except CheckFailed:
        raise
    except Exception as exc:  # the state came from the learner's code: it may be malformed
        why = f"{type(exc).__name__}: {str(exc)[:300]}"
        fail(
            en=f"{what_en} is not a usable optimizer state ({why})",
            zh=f"{what_zh} 不是可用的优化器状态（{why}）",
        )
    return out


def read_back(name: str) -> dict:
    """The learner's file as it is on disk (handed to the judge by the executor template, never
    through a path the submission could replace), loaded the safe way, as load_checkpoint must."""
    data = read_scratch_file(name)
    if data is None:
        fail(
            en=f"save_checkpoint({name!r}, ...) did not create the file {name!r}",
            zh=f"save_checkpoint({name!r}, ...) 没有创建文件 {name!r}",
        )
    try:
        ckpt = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as exc:
        text = str(exc).strip()
        first = text.splitlines()[0][:160] if text else type(exc).__name__
        fail(
            en="the checkpoint cannot be read with torch.load(path, weights_only=True) "
            f"({first}); save state_dicts and plain numbers, not model or optimizer objects",
            zh="无法用 torch.load(path, weights_only=True) 读取检查点"
            f"（{first}）；请保存 state_dict 和普通数字，不要保存模型或优化器对象本身",
        )
    if type(ckpt) is not dict:
        fail(
            en=f"the checkpoint should be a dict, got {type(ckpt).__name__}",
            zh=f"检查点应当是 dict，实际为 {type(ckpt).__name__}",
        )
    return ckpt


def entry(ckpt: dict, key: str):
    """One entry of the checkpoint dict; its absence fails the check that needs it."""
    if key not in ckpt:
        keys = sorted(str(k) for k in ckpt)
        fail(
            en=f"the checkpoint dict has no {key!r} entry (its keys: {keys}); it needs 'model', "
            "'optimizer' and 'epoch'",
            zh=f"检查点字典中没有 {key!r}（现有的键：{keys}）；需要 'model'、'optimizer' 和 'epoch'",
        )
    return ckpt[key]


def compare_states(got: object, expected: dict, what_en: str, what_zh: str) -> None:
    """Two flat state dicts of tensors: same keys, equal values."""
    if not isinstance(got, dict):
        fail(
            en=f"{what_en} should be a state dict, got {type(got).__name__}",
            zh=f"{what_zh} 应当是 state dict，实际为 {type(got).__name__}",
        )
    missing = sorted(str(k) for k in set(expected) - set(got))
    extra = sorted(str(k) for k in set(got) - set(expected))
    if missing or extra:
        fail(
            en=f"{what_en}: keys differ from model.state_dict() (missing {missing}, unexpected {extra})",
            zh=f"{what_zh}：键与 model.state_dict() 不一致（缺少 {missing}，多出 {extra}）",
        )
    for key, value in expected.items():
        assert_close(
            got[key],
            value,
            rtol=0,
            atol=0,
            what_en=f"{what_en}[{key!r}]",
            what_zh=f"{what_zh}[{key!r}]",
        )


def compare_buffers(got: dict, want: dict, what_en: str, what_zh: str, hint_en="", hint_zh=""):
    expect(
        sorted(got, key=str) == sorted(want, key=str),
        en=f"{what_en} lacks the optimizer's per-parameter state ({len(want)} buffers expected, "
        f"{len(got)} found){hint_en}",
        zh=f"{what_zh} 缺少优化器的逐参数状态（应有 {len(want)} 个缓冲区，实际 {len(got)} 个）{hint_zh}",
    )
    for key, value in want.items():
        assert_close(
            got[key],
            value,
            rtol=0,
            atol=0,
            what_en=f"{what_en}: state {key}",
            what_zh=f"{what_zh}：状态 {key}",
        )


def saved_by_learner(submission, name: str, kind: str = "sgd_momentum"):
    """The learner saves a trained model and optimizer; returns copies of their states taken
    before the call, and the file read back."""
    model, optimizer = trained(kind)
    want_model = model_state(model)
    want_buffers = optimizer_buffers(optimizer, "the optimizer", "优化器")
    submission.save_checkpoint(name, model, optimizer, EPOCH)
    return want_model, want_buffers, read_back(name)


@points(1.5)
def test_saved_model_state(submission):
    """The file's 'model' entry is model.state_dict(): parameters and BatchNorm buffers."""
    want, _, ckpt = saved_by_learner(submission, "saved_model_state.pt")
    compare_states(entry(ckpt, "model"), want, "checkpoint['model']", "checkpoint['model']")


@points(1.5)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_saved_optimizer_state(submission, kind):
    """The file's 'optimizer' entry is optimizer.state_dict(), with its buffers and param groups."""
    _, want, ckpt = saved_by_learner(submission, f"saved_optimizer_state_{kind}.pt", kind)
    saved = entry(ckpt, "optimizer")
    if not isinstance(saved, dict) or set(saved) != {"param_groups", "state"}:
        fail(
            en="checkpoint['optimizer'] should be optimizer.state_dict() (a dict with 'state' and "
            "'param_groups')",
            zh="checkpoint['optimizer'] 应当是 optimizer.state_dict()（含 'state' 和 'param_groups' 的字典）",
        )
    probe = make_optimizer(kind, make_model(1))
    try:
        probe.load_state_dict(saved)
    except Exception as exc:  # the saved state is the learner's output: it may be malformed
        why = f"{type(exc).__name__}: {str(exc)[:300]}"
        fail(
            en=f"checkpoint['optimizer'] cannot be loaded into a new optimizer of the same kind ({why})",
            zh=f"checkpoint['optimizer'] 无法加载到同类型的新优化器中（{why}）",
        )
    got = optimizer_buffers(probe, "checkpoint['optimizer']", "checkpoint['optimizer']")
    compare_buffers(got, want, "checkpoint['optimizer']", "checkpoint['optimizer']")


@points(1)
def test_saved_epoch(submission):
    """The file's 'epoch' entry is the epoch as a Python int."""
    _, _, ckpt = saved_by_learner(submission, "saved_epoch.pt")
    epoch = entry(ckpt, "epoch")
    expect(
        type(epoch) is int and epoch == EPOCH,
        en=f"checkpoint['epoch'] should be the int {EPOCH}, got {epoch!r} ({type(epoch).__name__})",
        zh=f"checkpoint['epoch'] 应为 int {EPOCH}，实际为 {epoch!r}（{type(epoch).__name__}）",
    )


def reference_file(name: str, kind: str = "sgd_momentum", lr: float | None = None):
    """A checkpoint in the contract's format, written by the grader's helper in the executor's
    scratch folder; returns copies of the states it holds."""
    model, optimizer = trained(kind)
    if lr is not None:
        for group in optimizer.param_groups:
            group["lr"] = lr
    want_model = model_state(model)
    want_buffers = optimizer_buffers(optimizer, "the optimizer", "优化器")
    executor_helper(
        "checkpoint_roundtrip_write",
        name,
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": EPOCH},
    )
    return want_model, want_buffers


@points(1.5)
def test_load_model(submission):
    """load_checkpoint restores parameters and buffers into the given model, in place."""
    want, _ = reference_file("load_model.pt")
    fresh = make_model(5)
    fresh_optimizer = make_optimizer("sgd_momentum", fresh)
    submission.load_checkpoint("load_model.pt", fresh, fresh_optimizer)
    compare_states(fresh.state_dict(), want, "the restored model's state", "恢复后的模型状态")


@points(1.5)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_load_optimizer(submission, kind):
    """load_checkpoint restores the given optimizer: its buffers and its learning rate."""
    name = f"load_optimizer_{kind}.pt"
    _, want = reference_file(name, kind, lr=0.0123)
    fresh = make_model(5)
    fresh_optimizer = make_optimizer(kind, fresh)
    submission.load_checkpoint(name, fresh, fresh_optimizer)
    got = optimizer_buffers(fresh_optimizer, "the restored optimizer", "恢复后的优化器")
    compare_buffers(
        got,
        want,
        "the restored optimizer",
        "恢复后的优化器",
        ": restore the given optimizer with optimizer.load_state_dict(...) (do not create a new one)",
        "：请用 optimizer.load_state_dict(...) 恢复传入的优化器（不要新建优化器）",
    )
    lrs = [group.get("lr") for group in fresh_optimizer.param_groups]
    expect(
        lrs == [0.0123],
        en=f"after load_checkpoint the optimizer's lr should be the saved 0.0123, got {lrs!r}",
        zh=f"load_checkpoint 之后优化器的 lr 应为保存的 0.0123，实际为 {lrs!r}",
    )


@points(1)
def test_load_epoch(submission):
    """load_checkpoint returns the saved epoch, as a Python int."""
    reference_file("load_epoch.pt")
    fresh = make_model(5)
    epoch = submission.load_checkpoint(
        "load_epoch.pt", fresh, make_optimizer("sgd_momentum", fresh)
    )
    expect(
        type(epoch) is int and epoch == EPOCH,
        en=f"load_checkpoint should return the saved epoch, the int {EPOCH}; got {epoch!r} "
        f"({type(epoch).__name__})",
        zh=f"load_checkpoint 应返回保存的 epoch，即 int {EPOCH}；实际为 {epoch!r}（{type(epoch).__name__}）",
    )


@points(2)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_resume_matches_uninterrupted(submission, kind):
    """Save, load into a fresh model and optimizer, train on: same result as never stopping."""
    model, optimizer = trained(kind)  # the uninterrupted run: never seen by the learner's code
    train(model, optimizer, batches(2, 4))

    saved_model, saved_optimizer = trained(kind)  # the same state, handed to save_checkpoint
    name = f"resume_{kind}.pt"
    submission.save_checkpoint(name, saved_model, saved_optimizer, 3)
    fresh = make_model(9)
    fresh_optimizer = make_optimizer(kind, fresh)
    submission.load_checkpoint(name, fresh, fresh_optimizer)
    train(fresh, fresh_optimizer, batches(2, 4))  # the resumed run, here in the check
    resumed = fresh.state_dict()
    for key, value in model.state_dict().items():
        assert_close(
            resumed.get(key),
            value,
            rtol=1e-6,
            atol=1e-7,
            what_en=f"after resuming ({kind}), the model's {key!r} (compared with uninterrupted training)",
            what_zh=f"恢复训练（{kind}）后模型的 {key!r}（与不中断训练的结果比较）",
        )
