"""Public checks for checkpoint-roundtrip: run them with `grader check checkpoint-roundtrip FILE`."""

import torch
from torch import nn

from grader.checks import CheckFailed, assert_close, expect, fail, load_scratch_file


def make(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
    return model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def test_roundtrip_restores_model_and_epoch(submission):
    """What save_checkpoint writes, load_checkpoint restores into another model; the epoch comes back."""
    model, optimizer = make(0)
    want = {key: value.detach().clone() for key, value in model.state_dict().items()}
    submission.save_checkpoint("public_roundtrip.pt", model, optimizer, 3)
    other, other_optimizer = make(1)
    epoch = submission.load_checkpoint("public_roundtrip.pt", other, other_optimizer)
    expect(
        type(epoch) is int and epoch == 3,
        en=f"load_checkpoint should return 3, got {epoch!r}",
        zh=f"load_checkpoint 应返回 3，实际为 {epoch!r}",
    )
    restored = other.state_dict()
    for key, value in want.items():
        assert_close(restored.get(key), value, what_en=key, what_zh=key)


def test_file_loads_weights_only(submission):
    """The file holds a dict with 'model', 'optimizer' and 'epoch', readable with weights_only=True."""
    model, optimizer = make(0)
    submission.save_checkpoint("public_file.pt", model, optimizer, 3)
    ckpt = load_scratch_file("public_file.pt", what_en="the checkpoint", what_zh="检查点")
    expect(
        isinstance(ckpt, dict) and set(ckpt) == {"epoch", "model", "optimizer"},
        en="the checkpoint should be a dict with the keys 'model', 'optimizer', 'epoch'",
        zh="检查点应当是含 'model'、'optimizer'、'epoch' 三个键的字典",
    )
