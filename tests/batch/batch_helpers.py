"""Helpers of the batch tests: the mini course, class folders built from the fixture
submissions, and readers for a batch's outputs."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
COURSE = DATA / "course-mini"
SUBS = DATA / "submissions" / "add-one"
SCHEMA = json.loads((ROOT / "grader" / "runner" / "results.schema.json").read_text())
GRADER = [sys.executable, "-m", "grader"]


def build_class(root: Path, layout: dict[str, str | None]) -> Path:
    """Make a class folder: ``{"alice.py": "correct", "bob/add-one.py": "crash", "x/": None}``
    copies fixture submission ``<name>.py`` to each path (None makes an empty folder)."""
    for rel, fixture in layout.items():
        path = root / rel
        if fixture is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SUBS / f"{fixture}.py", path)
    return root


def read_gradebook(out: Path) -> list[dict[str, str]]:
    """The gradebook's rows; asserts the file starts with a UTF-8 BOM."""
    raw = (out / "gradebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "gradebook.csv must start with a UTF-8 BOM"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def validate(doc: dict) -> None:
    jsonschema.validate(doc, SCHEMA)
