"""Public checks for pack-sequences: run them with `grader check pack-sequences FILE`."""

import torch
from torch import nn

from grader.checks import assert_close, assert_tensor


def test_worked_example(submission):
    """Row 0 of the result equals sequence 0's first 2 steps run alone (the statement's example)."""
    torch.manual_seed(0)
    rnn = nn.GRU(input_size=3, hidden_size=4, batch_first=True)
    padded = torch.randn(3, 5, 3)
    lengths = torch.tensor([2, 5, 3])
    with torch.no_grad():  # the reference first: the rnn comes back with any change made to it
        _, h0 = rnn(padded[0:1, :2])
    h = submission.last_hidden_states(rnn, padded, lengths)
    assert_tensor(h, shape=(3, 4), dtype=torch.float32, what_en="the result", what_zh="结果")
    assert_close(h[0].detach(), h0[-1, 0], what_en="row 0 of the result", what_zh="结果的第 0 行")


def test_full_length(submission):
    """When every sequence has the full length, the result is the output at the last step."""
    torch.manual_seed(0)
    rnn = nn.GRU(input_size=3, hidden_size=4, batch_first=True)
    padded = torch.randn(2, 4, 3)
    with torch.no_grad():  # the reference first: the rnn comes back with any change made to it
        out, _ = rnn(padded)
    h = submission.last_hidden_states(rnn, padded, torch.tensor([4, 4]))
    assert_close(h.detach(), out[:, -1], what_en="the result", what_zh="结果")
