"""Bug: the RNN runs under torch.no_grad(), so nothing can be trained through the result."""

import torch
from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    packed = pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )
    with torch.no_grad():
        _, h_n = rnn(packed)
    if isinstance(h_n, tuple):
        h_n = h_n[0]
    return h_n[-1]
