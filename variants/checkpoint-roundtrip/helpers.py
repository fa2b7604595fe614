"""Correct: small helper functions for packing and unpacking the checkpoint."""

import torch

KEYS = ("model", "optimizer", "epoch")


def _pack(model, optimizer, epoch):
    return dict(zip(KEYS, (model.state_dict(), optimizer.state_dict(), int(epoch))))


def _restore(checkpoint, model, optimizer):
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])


def save_checkpoint(path, model, optimizer, epoch):
    torch.save(_pack(model, optimizer, epoch), path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    _restore(checkpoint, model, optimizer)
    return int(checkpoint["epoch"])
