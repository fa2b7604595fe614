"""Public checks for tensor-broadcast: run them with `grader check tensor-broadcast FILE`."""

import torch

from grader.checks import assert_close


def test_dists_example(submission):
    """pairwise_sq_dists gives the distances of the worked example."""
    a = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    b = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    expected = torch.tensor([[1.0, 4.0, 25.0], [1.0, 2.0, 13.0]])
    assert_close(
        submission.pairwise_sq_dists(a, b),
        expected,
        what_en="pairwise_sq_dists(a, b)",
        what_zh="pairwise_sq_dists(a, b) 的结果",
    )


def test_grid_example(submission):
    """coordinate_grid(2, 3) gives the grid of the worked example."""
    expected = torch.tensor(
        [[[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]], [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]]
    )
    assert_close(
        submission.coordinate_grid(2, 3),
        expected,
        what_en="coordinate_grid(2, 3)",
        what_zh="coordinate_grid(2, 3) 的结果",
    )
