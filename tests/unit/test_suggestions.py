"""Did-you-mean suggestions: one rule (``grader.errors.closest``, one cutoff) for every message
that offers one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.course import bundled_root
from grader.errors import SUGGESTION_CUTOFF, UsageError, closest, did_you_mean
from grader.exercises.loader import find_exercise

GRADER = Path(__file__).resolve().parents[2] / "grader"


def test_a_close_name_is_suggested() -> None:
    """A misspelt key gets the known key it most resembles, in the messages' own words."""
    assert did_you_mean("anwser", ["hint", "answer"]) == " (did you mean 'answer'?)"
    assert closest("vaildate", ["verify", "validate"]) == "validate"


def test_a_name_that_only_shares_a_suffix_is_not_suggested() -> None:
    """``missing.py`` is not offered ``crashes.py`` (ratio 0.5, below the cutoff): a wrong
    suggestion is worse than none."""
    assert SUGGESTION_CUTOFF == 0.6
    assert did_you_mean("missing.py", ["crashes.py", "correct.py"]) == ""
    assert closest("missing.py", ["crashes.py"]) is None


def test_an_unknown_exercise_far_from_every_id_lists_them_instead() -> None:
    """``prune-xyz12`` is only 0.52 like ``prune-linear``: the message lists the exercises
    rather than suggesting one (the exercise loader once used a lower cutoff of its own)."""
    with pytest.raises(UsageError) as error:
        find_exercise("prune-xyz12", bundled_root() / "exercises")
    assert "Did you mean" not in error.value.message
    assert "Known exercises: " in error.value.message and "prune-linear" in error.value.message


def test_no_module_computes_suggestions_itself() -> None:
    """Only grader/errors.py calls difflib.get_close_matches; every message goes through it."""
    callers = []
    for path in sorted(GRADER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "get_close_matches":
                callers.append(str(path.relative_to(GRADER.parent)))
            elif isinstance(node, ast.ImportFrom) and node.module == "difflib":
                callers.append(str(path.relative_to(GRADER.parent)))
    assert sorted(set(callers)) == ["grader/errors.py"]
