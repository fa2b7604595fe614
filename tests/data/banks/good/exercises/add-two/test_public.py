"""Public check of add-two."""


def test_scalar(submission):
    assert submission.add_two(1) == 3
