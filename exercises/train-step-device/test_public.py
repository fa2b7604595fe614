"""Public checks for train-step-device: run them with `grader check train-step-device FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, executor_helper, expect, fail


def test_worked_example(submission, device):
    """The worked example: returns 9.0 and updates the weights to [[0.4, 1.4]], bias [-0.6]."""
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 2.0]]))
        model.bias.zero_()
    model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = (torch.tensor([[1.0, 1.0]]), torch.tensor([[0.0]]))
    loss = submission.train_step(model, batch, opt, nn.MSELoss())
    expect(
        type(loss) is float and abs(loss - 9.0) < 1e-5,
        en=f"train_step should return the float 9.0, got {loss!r}",
        zh=f"train_step 应返回 float 9.0，实际为 {loss!r}",
    )
    assert_close(
        model.weight.detach(),
        torch.tensor([[0.4, 1.4]], device=device),
        what_en="model.weight",
        what_zh="model.weight",
    )
    assert_close(
        model.bias.detach(),
        torch.tensor([-0.6], device=device),
        what_en="model.bias",
        what_zh="model.bias",
    )


def _recorded_moves(submission, device, seed):
    """What train_step moved, as the grader's recorder in your code's process saw it."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(seed)
    batch = (torch.randn(6, 4, generator=gen), torch.randn(6, 3, generator=gen))  # on the CPU
    moves = executor_helper(
        "train_step_device_moves", submission.train_step, model, batch, opt, nn.MSELoss()
    )
    if type(moves) is not dict:
        fail(en="the move recorder did not answer", zh="移动记录器没有应答")
    return moves


def test_batch_moved_to_model_device(submission, device):
    """train_step calls .to(device) on the inputs and on the targets, with the model's device.

    Feedback only: this rule is not graded, because on the CPU the move changes nothing that can
    be seen from outside, and only the process that runs your code can observe the call."""
    moves = _recorded_moves(submission, device, 8)
    model_device = moves.get("model_device")
    for key, name, name_zh in (("inputs", "inputs", "输入"), ("targets", "targets", "目标")):
        targets = moves.get(key)
        expect(
            type(targets) is list and model_device in targets,
            en=f"train_step never moved the {name} to the model's device ({model_device}); call "
            f".to(device) on them with device = next(model.parameters()).device",
            zh=f"train_step 没有把{name_zh}移到模型所在的设备（{model_device}）；请对它调用 .to(device)，"
            "其中 device = next(model.parameters()).device",
        )


def test_model_move_calls(submission, device):
    """train_step calls no move or conversion (model.to / .cuda / .cpu / .double ...) on the model.

    Feedback only: moving the model to the device it is already on changes nothing that can be
    seen from outside (on a GPU machine the graded checks do see a model moved to the CPU), and
    only the process that runs your code can observe the call."""
    moves = _recorded_moves(submission, device, 10)
    calls = moves.get("model")
    names = ", ".join(str(c) for c in calls) if type(calls) is list else ""
    expect(
        type(calls) is list and not calls,
        en=f"train_step moved or converted the model's tensors ({names}); leave the model where the "
        f"caller put it and move the batch to the model's device instead",
        zh=f"train_step 移动或转换了模型的张量（{names}）；模型应留在调用者放置的位置，"
        f"应当把批次移到模型所在设备",
    )
