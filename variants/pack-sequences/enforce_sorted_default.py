"""Bug: pack_padded_sequence with the default enforce_sorted=True fails for unsorted lengths."""

from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    packed = pack_padded_sequence(padded, lengths, batch_first=rnn.batch_first)
    _, h_n = rnn(packed)
    if isinstance(h_n, tuple):
        h_n = h_n[0]
    return h_n[-1]
