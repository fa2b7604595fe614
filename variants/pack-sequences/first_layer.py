"""Bug: h_n[0] is the first layer's hidden state; the last layer is h_n[-1]."""

from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    packed = pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )
    _, h_n = rnn(packed)
    if isinstance(h_n, tuple):
        h_n = h_n[0]
    return h_n[0]
