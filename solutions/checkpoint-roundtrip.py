"""Reference solution for checkpoint-roundtrip."""

import torch


def save_checkpoint(path, model, optimizer, epoch):
    """Write model and optimizer state and the epoch to `path`."""
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "epoch": int(epoch),
        },
        path,
    )


def load_checkpoint(path, model, optimizer):
    """Restore `model` and `optimizer` in place from `path`; return the saved epoch."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return int(checkpoint["epoch"])
