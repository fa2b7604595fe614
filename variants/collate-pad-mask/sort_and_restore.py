import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0, pad_to_multiple_of=1):
    """Sorts by length for pad_sequence's sake, then puts every output back in batch order."""
    order = sorted(range(len(batch)), key=lambda i: len(batch[i][0]), reverse=True)
    inverse = torch.empty(len(order), dtype=torch.long)
    inverse[torch.tensor(order)] = torch.arange(len(order))
    seqs = [batch[i][0] for i in order]
    padded = pad_sequence(seqs, batch_first=True, padding_value=padding_value)[inverse]
    lengths = torch.tensor([len(s) for s, _ in batch], dtype=torch.int64)
    longest = padded.shape[1]
    rem = longest % pad_to_multiple_of
    if rem:
        more = pad_to_multiple_of - rem
        fill = padded.new_full((padded.shape[0], more, *padded.shape[2:]), padding_value)
        padded = torch.cat([padded, fill], dim=1)
    mask = torch.arange(padded.shape[1]) < lengths.unsqueeze(-1)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, mask, labels
