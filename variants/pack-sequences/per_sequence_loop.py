"""Correct (slower): run each sequence alone on its real steps and stack the results."""

import torch


def last_hidden_states(rnn, padded, lengths):
    batch = padded if rnn.batch_first else padded.transpose(0, 1)
    rows = []
    for b in range(batch.shape[0]):
        n = int(lengths[b])
        seq = batch[b, :n].unsqueeze(0 if rnn.batch_first else 1)
        out, _ = rnn(seq)
        rows.append(out[0, -1] if rnn.batch_first else out[-1, 0])
    return torch.stack(rows)
