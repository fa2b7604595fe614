"""Correct: type hints, helpers, the RNN's second output selected with .select(0, -1)."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import rnn as rnn_utils


def _pack(rnn: nn.RNNBase, padded: torch.Tensor, lengths) -> rnn_utils.PackedSequence:
    return rnn_utils.pack_padded_sequence(
        padded, lengths, batch_first=rnn.batch_first, enforce_sorted=False
    )


def _hidden(state) -> torch.Tensor:
    return state[0] if isinstance(state, tuple) else state


def last_hidden_states(rnn: nn.RNNBase, padded: torch.Tensor, lengths) -> torch.Tensor:
    result = rnn(_pack(rnn, padded, lengths))
    h_n = _hidden(result[1])
    print("h_n shape:", tuple(h_n.shape))
    return h_n.select(0, -1)
