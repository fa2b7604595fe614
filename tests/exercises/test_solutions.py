"""Every exercise's reference solution gets full marks and its starter does not (real grader)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

EXERCISES = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/exercise.yaml"))


def describe(result) -> str:
    """One line per check that lost points, for assertion messages."""
    return "\n".join(
        f"  {t.name}: {t.reason} {t.message.en[:200]}"
        for t in result.tests
        if t.score < t.max_score
    )


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_solution_full_marks(grade, exercise_id: str) -> None:
    """solutions/<id>.py scores max_score on every hidden check."""
    result = grade(exercise_id, ROOT / "solutions" / f"{exercise_id}.py")
    assert result.tests, "no hidden checks ran"
    assert result.score == result.max_score, f"lost points in:\n{describe(result)}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_starter_not_full_marks(grade, exercise_id: str) -> None:
    """exercises/<id>/starter.py imports and runs but scores less than max_score."""
    result = grade(exercise_id, ROOT / "exercises" / exercise_id / "starter.py")
    assert result.tests, "no hidden checks ran"
    assert result.score < result.max_score
    assert all(t.reason != "policy" for t in result.tests), "the starter violates the policy"
