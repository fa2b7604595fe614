"""Fixtures for the study layer: the fixture course and a Study on a temporary data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course import Course, resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study

QUIZ_COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"


@pytest.fixture
def course_dir() -> Path:
    """The fixture course folder (tests/data/quiz)."""
    return QUIZ_COURSE


@pytest.fixture
def course() -> Course:
    return resolve_course(QUIZ_COURSE)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def study(course: Course, clock: FakeClock, tmp_path: Path) -> Study:
    opened = Study.open(course, tmp_path / "data", clock=clock, enable_fuzzing=False)
    yield opened
    opened.close()
