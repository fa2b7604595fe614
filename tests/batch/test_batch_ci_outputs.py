"""What CI reads from a batch: JUnit for every row, a refusal that writes nothing, and a warning
when the bundled (self-study) exercises are graded for a class."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from batch_helpers import COURSE, GRADER, ROOT, build_class
from junitparser import JUnitXml

from grader.batch.run import run_batch
from grader.errors import SandboxError
from grader.sandbox.os import layers

ALICE_CASES = [
    "test_value (1 pt)",
    "test_sizes[1] (1 pt)",
    "test_sizes[5] (1 pt)",
    "test_dtype (1 pt)",
]


def test_junit_has_a_suite_per_row_with_points(tmp_path, class_dir, grader_batch):
    """OUT/junit.xml: one suite per student, the case names carry their maximum, a missing file
    is a failing case worth 0."""
    root = class_dir({"alice/add-one.py": "correct", "bob/add-one.py": "wrong_value", "cid/": None})
    out = tmp_path / "out"
    proc = grader_batch("all", str(root), "--out", str(out))
    assert proc.returncode in (0, 3), proc.stderr
    suites = {s.name: s for s in JUnitXml.fromfile(str(out / "junit.xml"))}
    assert {"alice/add-one", "bob/add-one", "cid/add-one"} <= set(suites)
    alice = suites["alice/add-one"]
    assert [c.name for c in alice] == ALICE_CASES
    assert all(c.is_passed for c in alice)
    bob = suites["bob/add-one"]
    failed = [c for c in bob if not c.is_passed]
    assert failed and all(c.result[0].message.startswith("0 of 1 pt") for c in failed)
    (missing,) = list(suites["cid/add-one"])
    assert missing.name.startswith("add-one.py (") and not missing.is_passed
    assert "no file add-one.py was submitted" in missing.result[0].message


def test_require_sandbox_refusal_writes_nothing(tmp_path, monkeypatch):
    """A batch refused by --require-sandbox leaves no gradebook, no `missing` row, no OUT."""
    available = {name: None for name in layers.LAYERS}
    available["seccomp"] = "seccomp is not available here (test)"
    monkeypatch.setattr(layers, "available_layers", lambda: dict(available))
    root = build_class(tmp_path / "class", {"alice.py": "correct", "bob/": None})
    out = tmp_path / "out"
    with pytest.raises(SandboxError, match="seccomp"):
        run_batch("all", root, out, course=COURSE, require_sandbox=True, show_progress=False)
    assert not out.exists()
    # An extra layer missing refuses only --require-sandbox=all.
    available["seccomp"] = None
    available["landlock-scope"] = "Landlock ABI 4 is too old (test)"
    with pytest.raises(SandboxError, match="landlock-scope"):
        run_batch("all", root, out, course=COURSE, require_sandbox="all", show_progress=False)
    assert not out.exists()


def test_grading_the_bundled_exercises_warns(tmp_path):
    """The bundled exercises ship their hidden checks in the wheel: a batch says so."""
    root = tmp_path / "class"
    root.mkdir()
    (root / "alice.py").write_text(
        (ROOT / "solutions" / "tensor-broadcast.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    proc = subprocess.run(
        [*GRADER, "batch", "tensor-broadcast", str(root), "--out", str(tmp_path / "o"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "students who install the grader can read these hidden checks" in proc.stderr
    assert "--course" in proc.stderr


def test_a_private_course_does_not_warn(tmp_path, class_dir, grader_batch):
    root = class_dir({"alice.py": "correct"})
    proc = grader_batch("add-one", str(root), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "can read these hidden checks" not in proc.stderr
    assert Path(tmp_path / "out" / "junit.xml").is_file()


def test_a_course_without_exercises_grades_the_bundled_ones_and_warns(tmp_path):
    """A course folder with only questions/ falls back to the bundled exercises: warned too."""
    course = tmp_path / "course"
    (course / "questions").mkdir(parents=True)
    root = tmp_path / "class"
    root.mkdir()
    (root / "alice.py").write_text(
        (ROOT / "solutions" / "tensor-broadcast.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    proc = subprocess.run(
        [*GRADER, "batch", "tensor-broadcast", str(root), "--out", str(tmp_path / "o")]
        + ["--course", str(course), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "students who install the grader can read these hidden checks" in proc.stderr
