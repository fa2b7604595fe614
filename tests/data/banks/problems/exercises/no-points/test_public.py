"""Public check."""


def test_f(submission):
    assert submission.f(0) == 0
