"""The bundled id registry (questions/ids.txt) covers every bundled id and only ever grows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grader.bank.loader import bank_files, load_bank_file
from grader.bank.registry import REGISTRY_NAME, read_registry

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "questions"
REGISTRY = QUESTIONS / REGISTRY_NAME


def test_registry_is_well_formed() -> None:
    """One kebab-case id per line, sorted, no repeats, no blank lines."""
    registry = read_registry(REGISTRY)
    assert registry is not None, f"{REGISTRY} is missing"
    assert [str(p) for p in registry.problems] == []


def test_every_bundled_id_is_registered() -> None:
    """Every question id written in a bundled bank is in ids.txt."""
    registry = read_registry(REGISTRY)
    assert registry is not None
    missing = [
        f"{path.name}:{line}: {qid}"
        for path in bank_files([QUESTIONS])
        for qid, line in load_bank_file(path, cache=False).ids
        if qid not in registry.ids
    ]
    assert not missing, (
        f"{len(missing)} ids are not in questions/ids.txt (run `grader validate --update-ids`): "
        + ", ".join(missing[:10])
    )


def _committed_registry() -> list[str] | None:
    try:
        done = subprocess.run(
            ["git", "show", f"HEAD:questions/{REGISTRY_NAME}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.splitlines() if done.returncode == 0 else None


def test_no_registered_id_was_removed() -> None:
    """Compared with the committed file, every line is still there (ids are never reused)."""
    committed = _committed_registry()
    if committed is None:
        pytest.skip("not a git checkout, or ids.txt is not committed yet")
    current = set(REGISTRY.read_text(encoding="utf-8").splitlines())
    removed = [line for line in committed if line.strip() and line not in current]
    assert not removed, f"ids removed from questions/ids.txt: {removed}"
