import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    # bug: sorted for pack_padded_sequence, but the order is never restored
    batch = sorted(batch, key=lambda item: len(item[0]), reverse=True)
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    extra = -padded.shape[1] % pad_to_multiple_of
    if extra:
        fill = padded.new_full((padded.shape[0], extra, *padded.shape[2:]), padding_value)
        padded = torch.cat([padded, fill], dim=1)
    mask = torch.arange(padded.shape[1]) < lengths[:, None]
    return padded, lengths, mask, labels
