"""Public checks for autograd-function: run them with `grader check autograd-function FILE`."""

import torch

from grader.checks import assert_close, expect, keep_result


def test_example(submission, device):
    """The worked example: softplus(x, beta=2.0, threshold=3.0), then x.grad after backward."""
    values = [-3.0, 0.0, 0.75, 2.0]
    x = torch.tensor(values, device=device, requires_grad=True)
    z = torch.tensor(values, dtype=torch.float64) * 2.0
    smooth = torch.log1p(torch.exp(z)) / 2.0
    expected_y = torch.where(z > 3.0, z / 2.0, smooth).float()
    expected_grad = torch.where(z > 3.0, torch.ones_like(z), torch.sigmoid(z)).float()
    y = submission.softplus(x, beta=2.0, threshold=3.0)
    assert_close(
        y,
        expected_y.to(device),
        what_en="softplus(x, beta=2.0, threshold=3.0) of the example",
        what_zh="示例中 softplus(x, beta=2.0, threshold=3.0) 的结果",
    )
    y.sum().backward()
    assert_close(
        x.grad,
        expected_grad.to(device),
        what_en="x.grad of the example",
        what_zh="示例中的 x.grad",
    )


def test_saves_for_backward(submission, device):
    """forward keeps x (or its output) with ctx.save_for_backward.

    Feedback only: this rule of the statement is not graded, because only the process that runs
    your code can report what its context holds."""
    x = torch.tensor([-1.0, 0.5, 2.0], device=device, requires_grad=True)
    y = keep_result(submission.SoftplusFunction.apply, x, 1.0, 20.0)
    node = y.grad_fn
    expect(
        node is not None,
        en="SoftplusFunction.apply returned a tensor that is not attached to the autograd graph",
        zh="SoftplusFunction.apply 返回的张量没有连到计算图上",
    )
    saved = node.saved_tensors
    expect(
        type(saved) is tuple and len(saved) > 0,
        en="ctx.saved_tensors is empty: keep the tensors backward needs with "
        "ctx.save_for_backward(x) instead of plain attributes such as ctx.x = x (autograd then "
        "checks that x was not changed in place before backward ran)",
        zh="ctx.saved_tensors 是空的：请用 ctx.save_for_backward(x) 保存 backward 需要的张量，"
        "而不是 ctx.x = x 这样的普通属性（这样自动求导才会检查 x 在 backward 之前没有被原地修改）",
    )
