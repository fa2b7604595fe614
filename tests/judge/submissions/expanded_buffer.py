# A buffer of 4 bytes that claims 2**28 elements through zero strides.
import torch
from torch import nn


def train(model, loader, epochs=2, lr=0.1):
    # a 4-byte buffer that claims 2**28 elements (stride 0): ~1 KiB on the channel
    model.register_buffer("huge", torch.zeros(1).expand(2**14, 2**14))
    return [0.0] * epochs
