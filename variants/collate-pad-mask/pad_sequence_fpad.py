import math

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([s.shape[0] for s in seqs], dtype=torch.long)
    padded = pad_sequence(list(seqs), batch_first=True, padding_value=padding_value)
    target = math.ceil(padded.shape[1] / pad_to_multiple_of) * pad_to_multiple_of
    extra = target - padded.shape[1]
    if extra:
        widths = [0, 0] * (padded.dim() - 2) + [0, extra]
        padded = F.pad(padded, widths, value=padding_value)
    mask = torch.arange(target)[None, :] < lengths[:, None]
    return padded, lengths, mask, torch.tensor([int(y) for y in labels], dtype=torch.long)
