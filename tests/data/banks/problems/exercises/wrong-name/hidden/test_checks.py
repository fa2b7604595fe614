"""Hidden checks: 2 points declared, one check without points, one with a computed value."""

from grader.checks import points

WORTH = 3


@points(2)
def test_declared(submission):
    assert submission.f(1) == 1


def test_forgotten(submission):
    assert submission.f(2) == 2


@points(WORTH)
def test_computed(submission):
    assert submission.f(3) == 3
