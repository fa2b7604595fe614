"""Public checks for backward-linear: run them with `grader check backward-linear FILE`."""

import torch

from grader.checks import assert_close, executor_helper, expect, fail


def test_forward_2d(submission, device):
    """forward computes input @ weight.T + bias."""
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], device=device)
    w = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], device=device)
    b = torch.tensor([0.5, -0.5, 0.0], device=device)
    y = submission.LinearFunction.apply(x, w, b)
    assert_close(y, x @ w.T + b, what_en="forward's output", what_zh="forward 的输出")


def test_backward_2d(submission, device):
    """x.grad, w.grad and b.grad match the worked example of the statement."""
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], device=device, requires_grad=True)
    w = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], device=device, requires_grad=True)
    b = torch.zeros(3, device=device, requires_grad=True)
    submission.LinearFunction.apply(x, w, b).sum().backward()
    ones = torch.ones(2, 3, device=device)
    assert_close(x.grad, ones @ w.detach(), what_en="x.grad", what_zh="x.grad")
    assert_close(w.grad, ones.T @ x.detach(), what_en="w.grad", what_zh="w.grad")
    assert_close(b.grad, ones.sum(0), what_en="b.grad", what_zh="b.grad")


def test_no_autograd_in_backward(submission, device):
    """backward computes the gradients itself: no torch.autograd.grad, no .backward() inside.

    Feedback only: this rule of the statement is not graded, because only the process that runs
    your code can observe which functions it calls."""
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], device=device, requires_grad=True)
    w = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], device=device, requires_grad=True)
    b = torch.zeros(3, device=device, requires_grad=True)
    y = submission.LinearFunction.apply(x, w, b)
    expect(
        y.grad_fn is not None,
        en="LinearFunction.apply returned a tensor that is not attached to the autograd graph",
        zh="LinearFunction.apply 返回的张量没有连到计算图上",
    )
    calls = executor_helper(
        "backward_linear_autograd_calls",
        submission.LinearFunction,
        y.grad_fn,
        torch.ones(2, 3, device=device),
    )
    if calls:
        names = ", ".join(str(c) for c in calls) if type(calls) is list else repr(calls)
        fail(
            en=f"backward called autograd itself ({names}); compute the gradients with tensor "
            f"operations instead",
            zh=f"backward 内部调用了自动求导（{names}）；请直接用张量运算计算梯度",
        )
