"""Hidden checks for checkpoint-roundtrip: save and restore model, optimizer and epoch.

Saving and loading are checked separately (the check reads the learner's file itself, and writes
a reference file for the learner's loader), so a mistake on one side does not cost the other
side's points; one end-to-end check resumes training and compares with uninterrupted training.
Files go to the check's own temporary folder (the sandbox's scratch folder).
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from grader.checks import assert_close, expect, fail, points

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


def read_back(path: str) -> dict:
    """The learner's file, loaded the safe way (as load_checkpoint must)."""
    try:
        ckpt = torch.load(path, weights_only=True)
    except FileNotFoundError:
        fail(
            "save_checkpoint(path, ...) did not create the file `path`",
            "save_checkpoint(path, ...) 没有创建文件 `path`",
        )
    except Exception as exc:
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        fail(
            "the checkpoint cannot be read with torch.load(path, weights_only=True) "
            f"({first}); save state_dicts and plain numbers, not model or optimizer objects",
            "无法用 torch.load(path, weights_only=True) 读取检查点"
            f"（{first}）；请保存 state_dict 和普通数字，不要保存模型或优化器对象本身",
        )
    if type(ckpt) is not dict:
        fail(
            f"the checkpoint should be a dict, got {type(ckpt).__name__}",
            f"检查点应当是 dict，实际为 {type(ckpt).__name__}",
        )
    return ckpt


def entry(ckpt: dict, key: str):
    """One entry of the checkpoint dict; its absence fails the check that needs it."""
    if key not in ckpt:
        keys = sorted(str(k) for k in ckpt)
        fail(
            f"the checkpoint dict has no {key!r} entry (its keys: {keys}); it needs 'model', "
            "'optimizer' and 'epoch'",
            f"检查点字典中没有 {key!r}（现有的键：{keys}）；需要 'model'、'optimizer' 和 'epoch'",
        )
    return ckpt[key]


def saved_by_learner(submission, tmp_path, kind="sgd_momentum"):
    model, optimizer = trained(kind)
    path = str(tmp_path / "learner.pt")
    submission.save_checkpoint(path, model, optimizer, EPOCH)
    return model, optimizer, path


def compare_states(got: dict, expected: dict, what_en: str, what_zh: str) -> None:
    """Two flat state dicts of tensors: same keys, equal values."""
    if not isinstance(got, dict):
        fail(
            f"{what_en} should be a state dict, got {type(got).__name__}",
            f"{what_zh} 应当是 state dict，实际为 {type(got).__name__}",
        )
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    if missing or extra:
        fail(
            f"{what_en}: keys differ from model.state_dict() (missing {missing}, unexpected {extra})",
            f"{what_zh}：键与 model.state_dict() 不一致（缺少 {missing}，多出 {extra}）",
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


def optimizer_buffers(optimizer) -> dict:
    """Per-parameter optimizer state flattened to {(param index, name): tensor}."""
    out = {}
    for index, state in optimizer.state_dict()["state"].items():
        for name, value in state.items():
            out[(int(index), name)] = torch.as_tensor(value).detach().clone()
    return out


@points(1.5)
def test_saved_model_state(submission, tmp_path):
    """The file's 'model' entry is model.state_dict(): parameters and BatchNorm buffers."""
    model, _, path = saved_by_learner(submission, tmp_path)
    ckpt = read_back(path)
    compare_states(
        entry(ckpt, "model"), model.state_dict(), "checkpoint['model']", "checkpoint['model']"
    )


@points(1.5)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_saved_optimizer_state(submission, tmp_path, kind):
    """The file's 'optimizer' entry is optimizer.state_dict(), with its buffers and param groups."""
    _, optimizer, path = saved_by_learner(submission, tmp_path, kind)
    ckpt = read_back(path)
    saved = entry(ckpt, "optimizer")
    if not isinstance(saved, dict) or sorted(saved) != ["param_groups", "state"]:
        fail(
            "checkpoint['optimizer'] should be optimizer.state_dict() (a dict with 'state' and "
            "'param_groups')",
            "checkpoint['optimizer'] 应当是 optimizer.state_dict()（含 'state' 和 'param_groups' 的字典）",
        )
    probe = make_optimizer(kind, make_model(1))
    probe.load_state_dict(saved)
    want = optimizer_buffers(optimizer)
    got = optimizer_buffers(probe)
    expect(
        sorted(got, key=str) == sorted(want, key=str),
        f"checkpoint['optimizer'] lacks the optimizer's per-parameter state ({len(want)} buffers "
        f"expected, {len(got)} found)",
        f"checkpoint['optimizer'] 缺少优化器的逐参数状态（应有 {len(want)} 个缓冲区，实际 {len(got)} 个）",
    )
    for key, value in want.items():
        assert_close(
            got[key],
            value,
            rtol=0,
            atol=0,
            what_en=f"optimizer state {key}",
            what_zh=f"优化器状态 {key}",
        )


@points(1)
def test_saved_epoch(submission, tmp_path):
    """The file's 'epoch' entry is the epoch as a Python int."""
    _, _, path = saved_by_learner(submission, tmp_path)
    ckpt = read_back(path)
    epoch = entry(ckpt, "epoch")
    expect(
        type(epoch) is int and epoch == EPOCH,
        f"checkpoint['epoch'] should be the int {EPOCH}, got {epoch!r} ({type(epoch).__name__})",
        f"checkpoint['epoch'] 应为 int {EPOCH}，实际为 {epoch!r}（{type(epoch).__name__}）",
    )


def reference_file(tmp_path, kind="sgd_momentum", lr=None):
    """A checkpoint in the contract's format, written by the check."""
    model, optimizer = trained(kind)
    if lr is not None:
        for group in optimizer.param_groups:
            group["lr"] = lr
    path = str(tmp_path / "reference.pt")
    torch.save(
        {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": EPOCH}, path
    )
    return model, optimizer, path


@points(1.5)
def test_load_model(submission, tmp_path):
    """load_checkpoint restores parameters and buffers into the given model, in place."""
    model, _, path = reference_file(tmp_path)
    fresh = make_model(5)
    fresh_optimizer = make_optimizer("sgd_momentum", fresh)
    submission.load_checkpoint(path, fresh, fresh_optimizer)
    compare_states(
        fresh.state_dict(), model.state_dict(), "the restored model's state", "恢复后的模型状态"
    )


@points(1.5)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_load_optimizer(submission, tmp_path, kind):
    """load_checkpoint restores the given optimizer: its buffers and its learning rate."""
    _, optimizer, path = reference_file(tmp_path, kind, lr=0.0123)
    fresh = make_model(5)
    fresh_optimizer = make_optimizer(kind, fresh)
    submission.load_checkpoint(path, fresh, fresh_optimizer)
    want = optimizer_buffers(optimizer)
    got = optimizer_buffers(fresh_optimizer)
    expect(
        len(got) == len(want),
        f"after load_checkpoint the given optimizer has {len(got)} state buffers, expected "
        f"{len(want)}: restore it with optimizer.load_state_dict(...) (do not create a new one)",
        f"load_checkpoint 之后传入的优化器只有 {len(got)} 个状态缓冲区，应有 {len(want)} 个："
        "请用 optimizer.load_state_dict(...) 恢复它（不要新建优化器）",
    )
    for key, value in want.items():
        assert_close(
            got[key],
            value,
            rtol=0,
            atol=0,
            what_en=f"restored optimizer state {key}",
            what_zh=f"恢复后的优化器状态 {key}",
        )
    lr = fresh_optimizer.param_groups[0]["lr"]
    expect(
        lr == 0.0123,
        f"after load_checkpoint the optimizer's lr should be the saved 0.0123, got {lr!r}",
        f"load_checkpoint 之后优化器的 lr 应为保存的 0.0123，实际为 {lr!r}",
    )


@points(1)
def test_load_epoch(submission, tmp_path):
    """load_checkpoint returns the saved epoch, as a Python int."""
    _, _, path = reference_file(tmp_path)
    fresh = make_model(5)
    epoch = submission.load_checkpoint(path, fresh, make_optimizer("sgd_momentum", fresh))
    expect(
        type(epoch) is int and epoch == EPOCH,
        f"load_checkpoint should return the saved epoch, the int {EPOCH}; got {epoch!r} "
        f"({type(epoch).__name__})",
        f"load_checkpoint 应返回保存的 epoch，即 int {EPOCH}；实际为 {epoch!r}（{type(epoch).__name__}）",
    )


@points(2)
@pytest.mark.parametrize("kind", ["sgd_momentum", "adam"])
def test_resume_matches_uninterrupted(submission, tmp_path, kind):
    """Save, load into a fresh model and optimizer, train on: same result as never stopping."""
    model, optimizer = trained(kind)
    path = str(tmp_path / "resume.pt")
    submission.save_checkpoint(path, model, optimizer, 3)
    train(model, optimizer, batches(2, 4))  # the uninterrupted run

    fresh = make_model(9)
    fresh_optimizer = make_optimizer(kind, fresh)
    submission.load_checkpoint(path, fresh, fresh_optimizer)
    train(fresh, fresh_optimizer, batches(2, 4))  # the resumed run
    for key, value in model.state_dict().items():
        assert_close(
            fresh.state_dict()[key],
            value,
            rtol=1e-6,
            atol=1e-7,
            what_en=f"after resuming ({kind}), the model's {key!r} (compared with uninterrupted training)",
            what_zh=f"恢复训练（{kind}）后模型的 {key!r}（与不中断训练的结果比较）",
        )
