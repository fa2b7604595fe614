"""Bug: the output at the last padded position, i.e. after running through the padding."""


def last_hidden_states(rnn, padded, lengths):
    output, _ = rnn(padded)
    return output[:, -1] if rnn.batch_first else output[-1]
