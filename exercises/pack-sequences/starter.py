"""pack-sequences: the last real hidden state of each sequence in a padded batch.

Edit this file, then run `grader check pack-sequences <this file>` to try the public checks.
"""

from torch.nn.utils.rnn import pack_padded_sequence  # (you will need it)


def last_hidden_states(rnn, padded, lengths):
    """The last layer's hidden state after each sequence's last real step: (B, hidden_size)."""
    # TODO: pack the padded batch (mind rnn.batch_first and unsorted lengths)
    # TODO: run the rnn on the packed batch and take the last layer of h_n (h_n of (h_n, c_n) for
    #       an LSTM)
    output, _ = rnn(padded)
    return output[:, -1]
