"""Executable verification of exercises: every solution gets full marks, every starter does not.

Grades through the real sandboxed grader (one warm worker for all exercises), like rustlings'
``dev check``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.exercises.model import Exercise

if TYPE_CHECKING:
    from grader.runner.api import Worker


@dataclass(frozen=True)
class ExerciseProblem:
    """One exercise that does not verify."""

    path: Path
    id: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.id}: {self.message}"


def verify_exercises(
    exercises: list[Exercise], *, worker: Worker | None = None
) -> list[ExerciseProblem]:
    """Grade each exercise's solution (must be full marks) and starter (must be less).

    ``worker``: a grading worker to share (``grader verify`` grades the variants in it too); one
    is started otherwise.
    """
    from grader.runner.api import grade_exercise
    from grader.runner.client import WarmWorker

    problems: list[ExerciseProblem] = []
    with contextlib.ExitStack() as stack:
        if worker is None:
            worker = stack.enter_context(WarmWorker())
        info = worker.start()
        for exercise in exercises:
            if exercise.spec.device == "cuda" and not info.get("cuda"):
                continue  # cannot be verified without a GPU; `grader doctor` says so
            if exercise.solution is None:
                problems.append(
                    ExerciseProblem(
                        exercise.yaml_path, exercise.id, "no reference solution in solutions/"
                    )
                )
            else:
                result = grade_exercise(exercise, exercise.solution, worker=worker)
                if not result.full_marks:
                    failed = ", ".join(
                        f"{t.name} ({t.reason}: {t.message.en[:120]})"
                        for t in result.tests
                        if t.score < t.max_score
                    )
                    problems.append(
                        ExerciseProblem(
                            exercise.solution,
                            exercise.id,
                            f"the solution scores {result.score:g}/{result.max_score:g}: {failed}",
                        )
                    )
            if exercise.starter.is_file():
                result = grade_exercise(exercise, exercise.starter, worker=worker)
                if result.full_marks:
                    problems.append(
                        ExerciseProblem(
                            exercise.starter,
                            exercise.id,
                            "the starter already gets full marks; the checks catch nothing",
                        )
                    )
    return problems
