"""Canary: judge-check-canary-e41d07"""

import torch

from grader.checks import assert_close, expect, load_scratch_file, points


@points(1)
def test_round_trip(submission):
    t = torch.arange(6.0).reshape(2, 3)
    name = submission.store("first.pt", t)
    expect(
        name == "first.pt",
        en=f"store should return 'first.pt', got {name!r}",
        zh=f"store 应返回 'first.pt'，实际为 {name!r}",
    )
    assert_close(
        load_scratch_file("first.pt"),
        t,
        what_en="the saved tensor",
        what_zh="保存的张量",
    )


@points(1)
def test_second_file(submission):
    t = torch.ones(4, dtype=torch.float64)
    submission.store("second.pt", t)
    assert_close(
        load_scratch_file("second.pt"),
        t,
        what_en="the saved tensor",
        what_zh="保存的张量",
    )
