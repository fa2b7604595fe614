"""Reference solution for collate-pad-mask."""

import torch


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    """Pad a list of (sequence, label) pairs into (padded, lengths, mask, labels)."""
    sequences = [sequence for sequence, _ in batch]
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    longest = int(lengths.max())
    total = -(-longest // pad_to_multiple_of) * pad_to_multiple_of
    first = sequences[0]
    padded = first.new_full((len(batch), total, *first.shape[1:]), padding_value)
    for i, sequence in enumerate(sequences):
        padded[i, : len(sequence)] = sequence
    mask = torch.arange(total) < lengths[:, None]
    return padded, lengths, mask, labels
