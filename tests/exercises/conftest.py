"""Fixtures for the exercise tests: the repository's course and one warm grading worker.

Every submission is graded through the real sandboxed grader (``grader.runner.api.grade_file``),
never by importing it. Results are cached per (exercise, file) for the session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from grader.course import Course, resolve_course
from grader.runner.api import grade_file
from grader.runner.client import WarmWorker
from grader.runner.result import ExerciseResult

ROOT = Path(__file__).resolve().parents[2]

Grade = Callable[[str, Path], ExerciseResult]


@pytest.fixture(scope="session")
def repo_course() -> Course:
    """The course made of the repository's own exercises/ and solutions/."""
    return resolve_course(ROOT)


@pytest.fixture(scope="session")
def grading_worker():
    with WarmWorker() as worker:
        worker.start()
        yield worker


@pytest.fixture(scope="session")
def grade(repo_course: Course, grading_worker: WarmWorker) -> Grade:
    """``grade(exercise_id, path)`` -> the hidden-check result, graded once per session on the best
    device present; skips the test when the exercise cannot run here (``device: cuda``)."""
    cache: dict[tuple[str, Path], ExerciseResult] = {}

    def run(exercise_id: str, path: Path) -> ExerciseResult:
        key = (exercise_id, path.resolve())
        if key not in cache:
            cache[key] = grade_file(exercise_id, path, course=repo_course, worker=grading_worker)
        result = cache[key]
        if result.tests and all(t.reason == "skipped" for t in result.tests):
            pytest.skip(f"{exercise_id}: {result.tests[0].message.en}")
        return result

    return run
