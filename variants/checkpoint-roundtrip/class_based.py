"""Correct: a small Checkpointer class behind the two functions."""

import torch


class Checkpointer:
    def __init__(self, path):
        self.path = path

    def save(self, model, optimizer, epoch):
        torch.save(
            {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch},
            self.path,
        )

    def restore(self, model, optimizer):
        data = torch.load(self.path, weights_only=True)
        model.load_state_dict(data["model"])
        optimizer.load_state_dict(data["optimizer"])
        return data["epoch"]


def save_checkpoint(path, model, optimizer, epoch):
    Checkpointer(path).save(model, optimizer, epoch)


def load_checkpoint(path, model, optimizer):
    return Checkpointer(path).restore(model, optimizer)
