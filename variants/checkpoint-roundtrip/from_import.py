"""Correct: the module-level names imported with `from torch import ...`, errors re-raised."""

from torch import load, save


def save_checkpoint(path, model, optimizer, epoch):
    checkpoint = {}
    checkpoint["model"] = model.state_dict()
    checkpoint["optimizer"] = optimizer.state_dict()
    checkpoint["epoch"] = epoch
    save(checkpoint, path)


def load_checkpoint(path, model, optimizer):
    try:
        checkpoint = load(path, weights_only=True)
    except FileNotFoundError:
        raise FileNotFoundError(f"no checkpoint at {path}") from None
    missing = [k for k in ("model", "optimizer", "epoch") if k not in checkpoint]
    if missing:
        raise KeyError(f"checkpoint lacks {missing}")
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["epoch"]
