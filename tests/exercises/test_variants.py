"""Correct and buggy variants of each exercise, graded by the real grader against their manifest.

The repository is a course like any other: ``variants/<id>/manifest.yaml`` (at its root, beside
``exercises/``) lists every variant file with ``expect: full`` or ``expect: fail`` and
``fails: [check, ...]``: exactly the checks (function names; any of their parametrized cases)
that must lose points. The manifests are read and the results judged by
``grader.verify.variants``, the code ``grader verify`` runs on instructors' courses; here each
variant is its own test, graded once per session in the shared warm worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.exercises.loader import load_exercises
from grader.verify.variants import Variant, load_variants, mismatch, variants_folder

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = variants_folder(ROOT / "exercises")

MIN_CORRECT = 5
MIN_BUGGY = 6

EXERCISES = load_exercises(ROOT / "exercises", ROOT / "solutions")
LOADED, PROBLEMS, _ = load_variants(VARIANTS, EXERCISES)


def _manifests() -> list[Path]:
    return sorted(VARIANTS.glob("*/manifest.yaml"))


def test_variants_folder_is_at_the_root() -> None:
    """Our variants live where instructors' do (the old tests/exercises/variants is gone)."""
    assert VARIANTS == ROOT / "variants"
    assert _manifests(), "no manifest found in variants/"
    assert not (ROOT / "tests" / "exercises" / "variants").exists()


def test_no_manifest_problems() -> None:
    """Every variants folder is an exercise's, and no manifest has a problem (what `grader
    verify` reports before grading: unknown files, checks, keys, expectations)."""
    assert not PROBLEMS, "\n".join(str(p) for p in PROBLEMS)


@pytest.mark.parametrize("manifest", _manifests(), ids=lambda p: p.parent.name)
def test_manifest_has_enough_of_each_kind(manifest: Path) -> None:
    """Our own rule on top of the format: at least 5 correct and 6 buggy variants."""
    mine = [v for v in LOADED if v.manifest == manifest]
    full = [v for v in mine if v.expect == "full"]
    buggy = [v for v in mine if v.expect == "fail"]
    assert len(full) >= MIN_CORRECT and len(buggy) >= MIN_BUGGY, (len(full), len(buggy))


@pytest.mark.parametrize(
    "variant", [pytest.param(v, id=f"{v.exercise_id}/{v.name}") for v in LOADED]
)
def test_variant(grade, variant: Variant) -> None:
    """A correct variant gets full marks; a buggy one fails exactly its listed checks and still
    scores more than 0 (a variant that scores nothing proves little about the checks)."""
    result = grade(variant.exercise_id, variant.path)
    why = mismatch(variant, result)
    assert why is None, f"{variant.manifest}:{variant.line}: {why}"
