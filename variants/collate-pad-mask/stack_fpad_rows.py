import torch
from torch.nn import functional as F


def _pad_row(seq, total, value):
    missing = total - seq.size(0)
    spec = (0, 0) * (seq.dim() - 1) + (0, missing)
    return F.pad(seq, spec, value=value)


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [item[0] for item in batch]
    labels = torch.stack([torch.as_tensor(item[1]).to(torch.int64) for item in batch])
    lengths = torch.tensor([seq.size(0) for seq in sequences]).long()
    m = pad_to_multiple_of
    total = (int(lengths.max()) + m - 1) // m * m
    padded = torch.stack([_pad_row(seq, total, padding_value) for seq in sequences])
    mask = torch.arange(total).expand(len(batch), total) < lengths.unsqueeze(1)
    return padded, lengths, mask, labels
