"""collate-pad-mask: a collate_fn that pads variable-length sequences and builds a mask.

Edit this file, then run `grader check collate-pad-mask <this file>` to try the public checks.
"""

import torch


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    """Pad a list of (sequence, label) pairs into (padded, lengths, mask, labels)."""
    sequences = [sequence for sequence, _ in batch]
    # TODO: labels as an int64 tensor of shape (B,), in the batch's order
    labels = [label for _, label in batch]
    # TODO: lengths as an int64 tensor of shape (B,)
    lengths = [len(sequence) for sequence in sequences]
    # TODO: pad to the longest length rounded up to a multiple of pad_to_multiple_of,
    #       keeping the sequences' dtype and filling with padding_value
    padded = torch.stack(sequences)
    # TODO: a bool mask of shape (B, T), True where padded holds a real element
    mask = None
    return padded, lengths, mask, labels
