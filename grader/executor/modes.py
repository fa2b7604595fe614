"""Torch's process-wide modes, reset before every request the executor answers.

The judge sends the modes it wants (grad mode, default dtype, the torch random state); everything
else goes back to the defaults, whatever the learner's code (or a suspended generator holding a
``torch.inference_mode()`` block) left behind.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch

_GUARDS: list[Any] = []
"""Inference-mode guards that switched a leftover inference mode off; kept alive on purpose (a
guard restores the old mode when it is destroyed)."""


def reset(grad: bool, dtype: torch.dtype, rng_state: torch.Tensor | None, seed: int) -> None:
    if torch.is_inference_mode_enabled():
        _GUARDS.append(torch._C._InferenceMode(False))
    torch.set_grad_enabled(grad)
    if torch.is_anomaly_enabled():
        torch.autograd.set_detect_anomaly(False)
    if torch.get_default_dtype() != dtype:
        torch.set_default_dtype(dtype)
    if torch.are_deterministic_algorithms_enabled():
        torch.use_deterministic_algorithms(False)
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if rng_state is not None:
        torch.set_rng_state(rng_state)
    else:
        torch.manual_seed(seed)
    if torch.cuda.is_initialized():
        torch.cuda.manual_seed_all(seed)
