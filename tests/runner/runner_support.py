"""Paths and helpers shared by the runner tests (imported as a plain module)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

DATA = Path(__file__).resolve().parents[1] / "data"
COURSE = DATA / "course-mini"
SUBMISSIONS = DATA / "submissions" / "add-one"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "grader" / "runner" / "results.schema.json").read_text()
)


def validate_result_json(doc: dict) -> None:
    """Every JSON result must validate against the committed schema."""
    jsonschema.validate(doc, SCHEMA)
