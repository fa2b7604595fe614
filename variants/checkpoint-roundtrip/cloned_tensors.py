"""Correct: detached clones of every tensor in the model state; a print after saving."""

import torch


def save_checkpoint(path, model, optimizer, epoch):
    model_state = {name: t.detach().clone() for name, t in model.state_dict().items()}
    torch.save({"epoch": epoch, "model": model_state, "optimizer": optimizer.state_dict()}, path)
    print(f"saved epoch {epoch} to checkpoint")


def load_checkpoint(path, model, optimizer):
    ckpt = torch.load(path)
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    print("resuming after epoch", ckpt["epoch"])
    return ckpt["epoch"]
