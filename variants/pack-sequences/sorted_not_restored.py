"""Bug: the batch is sorted by length but the result is never put back in the original order."""

import torch
from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    lengths = torch.as_tensor(lengths)
    sorted_lengths, order = lengths.sort(descending=True)
    sorted_batch = padded.index_select(0 if rnn.batch_first else 1, order)
    packed = pack_padded_sequence(sorted_batch, sorted_lengths, batch_first=rnn.batch_first)
    _, h_n = rnn(packed)
    if isinstance(h_n, tuple):
        h_n = h_n[0]
    return h_n[-1]
