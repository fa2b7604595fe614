from dataclasses import dataclass

import torch


@dataclass
class Padded:
    values: torch.Tensor
    lengths: torch.Tensor
    mask: torch.Tensor
    labels: torch.Tensor

    def as_tuple(self) -> tuple:
        return self.values, self.lengths, self.mask, self.labels


def round_up(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


def pad_collate(batch: list, padding_value: float = 0, pad_to_multiple_of: int = 1) -> tuple:
    lengths = torch.as_tensor([len(s) for s, _ in batch], dtype=torch.int64)
    width = round_up(int(lengths.max().item()), pad_to_multiple_of)
    first = batch[0][0]
    values = first.new_full((len(batch), width, *first.shape[1:]), padding_value)
    for i, (s, _) in enumerate(batch):
        values[i].narrow(0, 0, len(s)).copy_(s)
    positions = torch.arange(width).unsqueeze(0)
    mask = positions.lt(lengths.unsqueeze(1))
    labels = torch.as_tensor([int(y) for _, y in batch], dtype=torch.int64)
    return Padded(values, lengths, mask, labels).as_tuple()
