"""Hidden checks of add-two: 1 + 2 + 0.5 = 3.5 points."""

import pytest

from grader.checks import points


@points(1)
def test_scalar(submission):
    assert submission.add_two(1) == 3


@points(2)
@pytest.mark.parametrize("value", [0, -2, 10])
def test_many(submission, value):
    assert submission.add_two(value) == value + 2


class TestTypes:
    @points(0.5)
    def test_float(self, submission):
        assert submission.add_two(0.5) == 2.5
