"""Names torch.softmax. With the executor owned nothing in it is refused at run time; the judge's
static scan must refuse it anyway."""
import torch

probs_impl = torch.softmax


def probs(x, dim=-1):
    return probs_impl(x, dim)
