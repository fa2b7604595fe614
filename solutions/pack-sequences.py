"""Reference solution for pack-sequences."""

from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    """The last layer's hidden state after each sequence's last real step: (B, hidden_size)."""
    packed = pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )
    _, h_n = rnn(packed)
    if isinstance(h_n, tuple):  # nn.LSTM returns (h_n, c_n)
        h_n = h_n[0]
    return h_n[-1]
