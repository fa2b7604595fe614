"""clip-accumulate: gradient accumulation with clipping of the accumulated gradient.

Edit this file, then run `grader check clip-accumulate <this file>` to try the public checks.
"""

import torch


def train_accumulated(model, loader, optimizer, loss_fn, accum_steps=4, max_norm=1.0):
    """One pass over ``loader``, one optimizer step per group of ``accum_steps`` micro-batches.

    Returns the total gradient norm of every step, before clipping, as Python floats.
    """
    norms = []
    # TODO: zero the gradients the caller may have left in .grad
    for i, (x, y) in enumerate(loader):
        loss = loss_fn(model(x), y)
        # TODO: divide the loss by accum_steps before backward
        loss.backward()
        # TODO: step only after the last micro-batch of each group (a short last group too)
        # TODO: clip the accumulated gradient's total norm to max_norm and record that norm
        optimizer.step()
        optimizer.zero_grad()
    return norms
