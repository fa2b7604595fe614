import torch


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    """Loops over the rows; builds every output explicitly."""
    n = len(batch)
    lengths = [int(seq.shape[0]) for seq, _ in batch]
    longest = max(lengths)
    t = longest
    while t % pad_to_multiple_of:
        t += 1
    example = batch[0][0]
    shape = (n, t) + tuple(example.shape[1:])
    padded = torch.full(shape, padding_value, dtype=example.dtype)
    mask = torch.zeros((n, t), dtype=torch.bool)
    labels = torch.empty(n, dtype=torch.int64)
    for row, (seq, label) in enumerate(batch):
        padded[row, : lengths[row]] = seq
        mask[row, : lengths[row]] = True
        labels[row] = int(label)
    return padded, torch.tensor(lengths, dtype=torch.int64), mask, labels
