"""The one hidden check of the hostile suite's checkpoint exercise.

Canary (must never appear in a result): hidden-check-canary-c4a8e1
"""

import torch

from grader.checks import assert_close, points

CANARY = "hidden-check-canary-c4a8e1"


@points(1)
def test_add_one(submission):
    assert_close(submission.add_one(torch.zeros(3)), torch.ones(3))
