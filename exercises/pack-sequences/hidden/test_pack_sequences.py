"""Hidden checks for pack-sequences: the last real hidden state of each padded sequence.

The reference runs each sequence alone through the same RNN, on its real steps only. Padding
positions hold large random values, so running through them is never accidentally right. Most
checks use lengths sorted longest first, so the unsorted case is a check of its own.

The RNN is a standard module, so it comes back from the learner's code with any change it made
merged in: every reference (values, gradients, the description) is computed before the call.
"""

from __future__ import annotations

import torch
from torch import nn

from grader.checks import assert_close, assert_tensor, expect, fail, points

INPUT, HIDDEN = 3, 4


def make_rnn(kind="gru", batch_first=True, num_layers=1, dtype=torch.float64):
    torch.manual_seed(11)
    cls = nn.LSTM if kind == "lstm" else nn.GRU
    return cls(INPUT, HIDDEN, num_layers=num_layers, batch_first=batch_first).to(dtype)


def make_padded(lengths, total, batch_first=True, dtype=torch.float64, seed=0):
    """(B, T, F) or (T, B, F) with garbage (large random values) at the padding positions."""
    gen = torch.Generator().manual_seed(seed)
    data = torch.randn(len(lengths), total, INPUT, generator=gen, dtype=torch.float64)
    garbage = torch.randn(len(lengths), total, INPUT, generator=gen, dtype=torch.float64) * 100
    for b, length in enumerate(lengths):
        data[b, length:] = garbage[b, length:]
    data = data.to(dtype)
    return data if batch_first else data.transpose(0, 1).contiguous()


def reference(rnn, padded, lengths):
    """Each sequence alone, real steps only: the last layer's final hidden state."""
    rows = []
    for b, length in enumerate(lengths):
        if rnn.batch_first:
            seq = padded[b : b + 1, :length]
        else:
            seq = padded[:length, b : b + 1]
        _, h = rnn(seq)
        if isinstance(h, tuple):
            h = h[0]
        rows.append(h[-1, 0])
    return torch.stack(rows)


def describe(rnn, lengths):
    kind = type(rnn).__name__
    return (
        f"{kind}(num_layers={rnn.num_layers}, batch_first={rnn.batch_first}) with lengths "
        f"{list(lengths)}"
    )


def run_case(submission, rnn, padded, lengths, lengths_arg=None):
    arg = torch.tensor(lengths, dtype=torch.int64) if lengths_arg is None else lengths_arg
    with torch.no_grad():  # before the call: the rnn comes back with the learner's changes
        want = reference(rnn, padded, lengths)
    what = describe(rnn, lengths)
    got = submission.last_hidden_states(rnn, padded, arg)
    assert_tensor(
        got,
        shape=(len(lengths), HIDDEN),
        dtype=padded.dtype,
        what_en=f"the result for {what}",
        what_zh=f"{what} 时的结果",
    )
    assert_close(
        got.detach(),
        want,
        rtol=1e-5,
        atol=1e-6,
        what_en=f"the last hidden states for {what} (each should equal that sequence run alone)",
        what_zh=f"{what} 时的最后隐藏状态（每一行都应等于该序列单独运行的结果）",
    )
    return got


@points(1)
def test_equal_lengths(submission):
    """Every sequence has the full length T (float32): the last step of each."""
    lengths = [4, 4, 4]
    rnn = make_rnn(dtype=torch.float32)
    run_case(submission, rnn, make_padded(lengths, 4, dtype=torch.float32), lengths)


@points(2.5)
def test_variable_lengths(submission):
    """Lengths sorted longest first: each row is the state after that sequence's last real step."""
    lengths = [5, 3, 2, 1]
    run_case(submission, make_rnn(), make_padded(lengths, 5, seed=1), lengths)


@points(1.5)
def test_unsorted_lengths(submission):
    """Lengths in any order (and T larger than the longest): rows stay in the original order."""
    lengths = [2, 5, 1, 4]
    run_case(submission, make_rnn(), make_padded(lengths, 6, seed=2), lengths)


@points(1.5)
def test_batch_first_false(submission):
    """An RNN with batch_first=False takes padded input of shape (T, B, input_size)."""
    lengths = [6, 4, 3, 1]
    rnn = make_rnn(batch_first=False)
    run_case(submission, rnn, make_padded(lengths, 6, batch_first=False, seed=3), lengths)


@points(1)
def test_lstm(submission):
    """An LSTM returns (h_n, c_n): the hidden state h_n is wanted, not the cell state."""
    lengths = [5, 4, 2]
    run_case(submission, make_rnn(kind="lstm"), make_padded(lengths, 5, seed=4), lengths)


@points(1)
def test_multi_layer(submission):
    """With num_layers=2 the result is the last layer's hidden state."""
    lengths = [4, 3, 3, 1]
    run_case(submission, make_rnn(num_layers=2), make_padded(lengths, 4, seed=5), lengths)


@points(0.5)
def test_lengths_list(submission):
    """lengths may be a plain Python list of ints."""
    lengths = [3, 2, 2]
    run_case(
        submission, make_rnn(), make_padded(lengths, 3, seed=6), lengths, lengths_arg=list(lengths)
    )


@points(1)
def test_gradients(submission):
    """Gradients flow to the RNN and to the real positions of padded; padding gets zero gradient."""
    lengths = [4, 3, 2]
    rnn = make_rnn()
    padded = make_padded(lengths, 4, seed=7).requires_grad_()
    weights = torch.randn(
        len(lengths), HIDDEN, generator=torch.Generator().manual_seed(8), dtype=torch.float64
    )
    (reference(rnn, padded, lengths) * weights).sum().backward()
    want_input = padded.grad.clone()
    want_params = {n: p.grad.clone() for n, p in rnn.named_parameters()}
    padded.grad = None
    rnn.zero_grad(set_to_none=True)

    got = submission.last_hidden_states(rnn, padded, torch.tensor(lengths))
    if type(got) is not torch.Tensor or not got.requires_grad:
        fail(
            en="the result is not connected to the autograd graph (no gradient can flow back); do "
            "not use torch.no_grad() or .detach()",
            zh="结果没有连在计算图上（梯度无法回传）；不要使用 torch.no_grad() 或 .detach()",
        )
    (got * weights).sum().backward()
    expect(padded.grad is not None, en="padded received no gradient", zh="padded 没有得到梯度")
    assert_close(
        padded.grad,
        want_input,
        rtol=1e-5,
        atol=1e-8,
        what_en="the gradient of padded (zero at padding positions)",
        what_zh="padded 的梯度（填充位置应为 0）",
    )
    params = dict(rnn.named_parameters())  # the rnn's own parameters, grads brought back
    for name, want in want_params.items():
        grad = params[name].grad if name in params else None
        expect(
            grad is not None, en=f"rnn.{name} received no gradient", zh=f"rnn.{name} 没有得到梯度"
        )
        assert_close(
            grad,
            want,
            rtol=1e-5,
            atol=1e-8,
            what_en=f"the gradient of rnn.{name}",
            what_zh=f"rnn.{name} 的梯度",
        )
