"""Public checks for mixed-precision-step: run them with `grader check mixed-precision-step FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, executor_object, expect


def _example(submission, init_scale):
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 2.0]]))
        model.bias.zero_()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    # The scaler lives in the process that runs your code, so your step drives it there.
    scaler = executor_object("mixed_precision_grad_scaler", "cpu", init_scale=init_scale)
    batch = (torch.tensor([[1.0, 1.0]]), torch.tensor([[0.0]]))
    loss = submission.amp_train_step(model, batch, opt, nn.MSELoss(), scaler)
    expect(
        type(loss) is float and abs(loss - 9.0) < 1e-6,
        en=f"amp_train_step should return the float 9.0, got {loss!r}",
        zh=f"amp_train_step 应返回 float 9.0，实际为 {loss!r}",
    )
    return model, scaler


def test_worked_example(submission):
    """The statement's example on the CPU: clipped to norm 1.0, the scale stays 1024."""
    model, scaler = _example(submission, 1024.0)
    assert_close(
        model.weight.detach(),
        torch.tensor([[0.942265, 1.942265]]),
        rtol=1e-5,
        atol=1e-6,
        what_en="model.weight after the step (clipped to norm 1.0)",
        what_zh="这一步之后的 model.weight（裁剪到范数 1.0）",
    )
    assert_close(
        model.bias.detach(),
        torch.tensor([-0.057735]),
        rtol=1e-5,
        atol=1e-6,
        what_en="model.bias after the step (clipped to norm 1.0)",
        what_zh="这一步之后的 model.bias（裁剪到范数 1.0）",
    )
    expect(
        scaler.get_scale() == 1024.0,
        en=f"the scale should stay 1024.0, got {scaler.get_scale()!r}",
        zh=f"缩放系数应保持 1024.0，实际为 {scaler.get_scale()!r}",
    )


def test_overflow_example(submission):
    """The statement's second example: with init_scale=2**127 the step is skipped and halved."""
    model, scaler = _example(submission, 2.0**127)
    assert_close(
        model.weight.detach(),
        torch.tensor([[1.0, 2.0]]),
        what_en="model.weight after the overflowing step (it must be skipped)",
        what_zh="溢出的这一步之后的 model.weight（这一步必须跳过）",
    )
    expect(
        scaler.get_scale() == 2.0**126,
        en=f"update() should halve the scale to 2**126, got {scaler.get_scale()!r}",
        zh=f"update() 应把缩放系数减半为 2**126，实际为 {scaler.get_scale()!r}",
    )
