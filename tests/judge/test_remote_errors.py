"""The judge turns an executor's ``raised`` reply into an exception without trusting its fields.

The executor runs the learner's code, so every field of its reply is hostile input: a malformed
one must give a plain ``Exception`` stand-in, never crash the judge or smuggle in a base class.
"""

from __future__ import annotations

import pytest

from grader.judge.errors import RemoteRaised, remote_exception


def test_a_well_formed_reply_keeps_the_type_name_and_base() -> None:
    exc = remote_exception(
        {"type": "ShapeError", "builtin": ["ValueError"], "message": "bad", "line": 3}
    )
    assert isinstance(exc, RemoteRaised) and isinstance(exc, ValueError)
    assert type(exc).__name__ == "ShapeError"
    assert str(exc) == "bad" and exc.line == 3


@pytest.mark.parametrize(
    "builtin",
    [[["ValueError"]], [{"a": 1}], "ValueError", None, [1, 2.5]],
    ids=["nested-list", "mapping", "string", "none", "numbers"],
)
def test_unhashable_or_malformed_bases_fall_back_to_exception(builtin: object) -> None:
    exc = remote_exception({"type": "Oops", "builtin": builtin})
    assert isinstance(exc, RemoteRaised)
    assert type(exc).__mro__[2] is Exception


@pytest.mark.parametrize("type_name", ["not an identifier", "x" * 101, 42, None, ["T"]])
def test_a_bad_type_name_becomes_exception(type_name: object) -> None:
    exc = remote_exception({"type": type_name, "builtin": ["KeyError"]})
    assert type(exc).__name__ == "Exception"
    assert isinstance(exc, KeyError)


def test_a_remote_stop_iteration_cannot_end_a_judge_loop() -> None:
    exc = remote_exception({"type": "StopIteration", "builtin": ["StopIteration"]})
    assert not isinstance(exc, StopIteration)
    assert isinstance(exc, RuntimeError)


def test_a_non_integer_line_is_dropped() -> None:
    assert remote_exception({"type": "E", "line": "12"}).line is None
