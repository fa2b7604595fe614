"""Correct: pad_packed_sequence, then pick position lengths - 1 of each row of the output."""

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def last_hidden_states(rnn, padded, lengths):
    lengths = torch.as_tensor(lengths, dtype=torch.int64)
    packed = pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )
    packed_out, _ = rnn(packed)
    out, out_lengths = pad_packed_sequence(packed_out, batch_first=True)  # (B, T_max, H)
    rows = torch.arange(out.shape[0])
    return out[rows, out_lengths - 1]
