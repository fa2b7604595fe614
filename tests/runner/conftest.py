"""Shared fixtures for the runner tests: the mini course and one warm worker for the module."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from grader.course import resolve_course
from grader.runner.client import WarmWorker

DATA = Path(__file__).resolve().parents[1] / "data"
COURSE = DATA / "course-mini"
SUBMISSIONS = DATA / "submissions" / "add-one"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "grader" / "runner" / "results.schema.json").read_text()
)


@pytest.fixture(scope="session")
def course():
    return resolve_course(COURSE)


@pytest.fixture(scope="session")
def worker():
    with WarmWorker() as w:
        w.start()
        yield w


def validate_result_json(doc: dict) -> None:
    """Every JSON result must validate against the committed schema."""
    jsonschema.validate(doc, SCHEMA)
