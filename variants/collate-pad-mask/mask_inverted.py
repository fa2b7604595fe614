import torch


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    total = -(-int(lengths.max()) // pad_to_multiple_of) * pad_to_multiple_of
    padded = sequences[0].new_full((len(batch), total, *sequences[0].shape[1:]), padding_value)
    for i, s in enumerate(sequences):
        padded[i, : len(s)] = s
    mask = torch.arange(total) >= lengths[:, None]  # bug: key_padding_mask convention (True = pad)
    return padded, lengths, mask, labels
