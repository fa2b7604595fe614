"""Bug: h[-1] on an LSTM's (h_n, c_n) tuple picks c_n, the cell states of every layer."""

from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    packed = pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )
    _, h = rnn(packed)
    return h[-1]
