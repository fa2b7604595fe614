"""Correct: sort by length, pack with enforce_sorted=True, then undo the permutation."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    lengths = torch.tensor(list(lengths), dtype=torch.int64)
    sorted_lengths, order = torch.sort(lengths, descending=True)
    batch_dim = 0 if rnn.batch_first else 1
    sorted_batch = padded.index_select(batch_dim, order)
    packed = pack_padded_sequence(sorted_batch, sorted_lengths, batch_first=rnn.batch_first)
    _, hidden = rnn(packed)
    if isinstance(rnn, nn.LSTM):
        hidden = hidden[0]
    last = hidden[-1]
    inverse = torch.argsort(order)
    return last.index_select(0, inverse)
