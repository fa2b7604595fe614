"""Canary: judge-check-canary-2b8d44"""

import torch

from grader.checks import assert_close, gradcheck64, points


@points(1)
def test_forward(submission):
    x = torch.tensor([1.0, -2.0, 3.0])
    assert_close(submission.Square.apply(x), x * x)


@points(1)
def test_backward_direct(submission):
    torch.manual_seed(0)
    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    g = torch.randn(4, dtype=torch.float64)
    y = submission.Square.apply(x)
    got = submission.Square.backward(y.grad_fn, g)
    # Computed after the call on purpose: arguments cross by value, so nothing the learner's
    # backward does to its grad_output (zero_() in place) reaches this g.
    expected = 2 * x.detach() * g
    assert_close(got, expected, what_en="backward's result", what_zh="backward 的结果")


@points(1)
def test_gradcheck(submission):
    torch.manual_seed(1)
    gradcheck64(submission.Square.apply, (torch.randn(3, requires_grad=True),), what="Square")
