import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    # bug: pad_to_multiple_of is never used
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    mask = torch.arange(padded.shape[1]) < lengths[:, None]
    return padded, lengths, mask, labels
