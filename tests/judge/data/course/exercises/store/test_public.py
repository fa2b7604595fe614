import torch

from grader.checks import expect


def test_returns_name(submission):
    expect(
        submission.store("a.pt", torch.ones(1)) == "a.pt",
        en="store should return the name",
        zh="store 应返回文件名",
    )
