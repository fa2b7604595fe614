"""checkpoint-roundtrip: save and restore a training checkpoint.

Edit this file, then run `grader check checkpoint-roundtrip <this file>` to try the public checks.
"""

import torch


def save_checkpoint(path, model, optimizer, epoch):
    """Write model and optimizer state and the epoch to `path`."""
    # TODO: save a dict with the keys "model", "optimizer" and "epoch" (state_dicts and an int)
    torch.save({"model": model.state_dict()}, path)


def load_checkpoint(path, model, optimizer):
    """Restore `model` and `optimizer` in place from `path`; return the saved epoch."""
    checkpoint = torch.load(path, weights_only=True)
    # TODO: restore the model's and the optimizer's state with load_state_dict
    # TODO: return the saved epoch as an int
    return 0
