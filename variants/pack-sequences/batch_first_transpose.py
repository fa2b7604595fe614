"""Correct: always make the batch (B, T, F) and pack with batch_first=True; a PackedSequence has
the same layout whatever the RNN's batch_first is."""

from torch.nn.utils.rnn import pack_padded_sequence


def last_hidden_states(rnn, padded, lengths):
    x = padded if rnn.batch_first else padded.transpose(0, 1)
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out = rnn(packed)
    h = out[1][0] if type(out[1]) is tuple else out[1]
    return h[h.shape[0] - 1]
