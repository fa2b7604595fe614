"""Correct and buggy variants of each exercise, graded by the real grader against their manifest.

``tests/exercises/variants/<id>/manifest.yaml`` lists every variant file with ``expect: full`` or
``expect: fail`` and ``fails: [check, ...]``: exactly the checks (function names; any of their
parametrized cases) that must lose points.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = Path(__file__).resolve().parent / "variants"

MIN_CORRECT = 5
MIN_BUGGY = 6


def failed_checks(result) -> set[str]:
    """Names of the checks (function names, cases folded) that did not get full marks."""
    return {t.name.split("[", 1)[0] for t in result.tests if t.score < t.max_score}


def describe(result) -> str:
    """One line per check that lost points, for assertion messages."""
    return "\n".join(
        f"  {t.name}: {t.reason} {t.message.en[:200]}"
        for t in result.tests
        if t.score < t.max_score
    )


def _manifests() -> list[Path]:
    return sorted(VARIANTS.glob("*/manifest.yaml"))


def _entries(manifest: Path) -> list[dict]:
    return list(yaml.safe_load(manifest.read_text(encoding="utf-8"))["variants"])


def _variant_params() -> list:
    return [
        pytest.param(m.parent.name, entry, id=f"{m.parent.name}/{entry['file']}")
        for m in _manifests()
        for entry in _entries(m)
    ]


def _hidden_check_names(exercise_id: str) -> set[str]:
    names: set[str] = set()
    for path in sorted((ROOT / "exercises" / exercise_id / "hidden").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


@pytest.mark.parametrize("manifest", _manifests(), ids=lambda p: p.parent.name)
def test_manifest_is_complete(manifest: Path) -> None:
    """A manifest names every variant file once, enough of each kind, and only real checks."""
    exercise_id = manifest.parent.name
    entries = _entries(manifest)
    files = [e["file"] for e in entries]
    on_disk = sorted(p.name for p in manifest.parent.glob("*.py"))
    assert sorted(files) == on_disk, "manifest and variant files differ"
    assert len(set(files)) == len(files), "a variant is listed twice"
    assert (ROOT / "exercises" / exercise_id / "exercise.yaml").is_file()
    full = [e for e in entries if e["expect"] == "full"]
    buggy = [e for e in entries if e["expect"] == "fail"]
    assert len(full) + len(buggy) == len(entries), "expect must be 'full' or 'fail'"
    assert len(full) >= MIN_CORRECT and len(buggy) >= MIN_BUGGY
    checks = _hidden_check_names(exercise_id)
    for entry in buggy:
        assert entry["fails"], f"{entry['file']}: a buggy variant must name the checks it fails"
        unknown = set(entry["fails"]) - checks
        assert not unknown, f"{entry['file']}: no such hidden checks: {sorted(unknown)}"
    for entry in full:
        assert "fails" not in entry, f"{entry['file']}: a full-marks variant lists failures"


@pytest.mark.parametrize(("exercise_id", "entry"), _variant_params())
def test_variant(grade, exercise_id: str, entry: dict) -> None:
    """A correct variant gets full marks; a buggy one fails exactly its listed checks and still
    scores more than 0 (a variant that scores nothing proves little about the checks)."""
    result = grade(exercise_id, VARIANTS / exercise_id / entry["file"])
    failed = failed_checks(result)
    if entry["expect"] == "full":
        assert not failed, f"expected full marks, lost points in:\n{describe(result)}"
        assert result.score == result.max_score
    else:
        assert failed == set(entry["fails"]), (
            f"expected exactly {sorted(entry['fails'])} to fail, got {sorted(failed)}:\n"
            f"{describe(result)}"
        )
        assert 0 < result.score < result.max_score
