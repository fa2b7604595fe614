import torch


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    sequences = [s for s, _ in batch]
    labels = torch.tensor([int(y) for _, y in batch], dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    total = -(-int(lengths.max()) // pad_to_multiple_of) * pad_to_multiple_of
    rows = []
    for s in sequences:
        # bug: repeats the last element's shape and dtype, which an empty sequence does not have
        fill = torch.full((total - len(s), *s[-1].shape), padding_value, dtype=s[-1].dtype)
        rows.append(torch.cat([s, fill]))
    padded = torch.stack(rows)
    mask = torch.arange(total) < lengths[:, None]
    return padded, lengths, mask, labels
