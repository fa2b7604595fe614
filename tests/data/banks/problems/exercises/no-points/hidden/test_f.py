"""Hidden checks adding up to 3, not 4."""

from grader.checks import points


@points(3)
def test_f(submission):
    assert submission.f(0) == 0
