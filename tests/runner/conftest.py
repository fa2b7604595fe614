"""Shared fixtures for the runner tests: the mini course and one warm worker for the session."""

from __future__ import annotations

import pytest
from runner_support import COURSE

from grader.course import resolve_course
from grader.runner.client import WarmWorker


@pytest.fixture(scope="session")
def course():
    return resolve_course(COURSE)


@pytest.fixture(scope="session")
def worker():
    with WarmWorker() as w:
        w.start()
        yield w
