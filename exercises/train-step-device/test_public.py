"""Public checks for train-step-device: run them with `grader check train-step-device FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, expect


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
        f"train_step should return the float 9.0, got {loss!r}",
        f"train_step 应返回 float 9.0，实际为 {loss!r}",
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
