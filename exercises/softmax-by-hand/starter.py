"""softmax-by-hand: a numerically stable softmax, without PyTorch's own.

Edit this file, then run `grader check softmax-by-hand <this file>` to try the public checks.
torch.softmax, F.softmax, x.softmax(...) and their log_ versions are forbidden here (see the
statement for the whole list).
"""

import torch


def softmax(x, dim=-1):
    """exp(x) / sum(exp(x)) along dim: same shape, dtype and device as x; every group sums to 1."""
    # TODO: subtract the maximum of each group along dim (keepdim=True) so exp cannot overflow
    # TODO: divide by the sum along dim (keepdim=True), not by the sum of the whole tensor
    e = torch.exp(x)
    return e / e.sum()
