"""Variants are solutions: none reaches a student handout, a Gradescope bundle or the wheel.

Checked on the repository itself (a course with variants/ at its root) by file name and by
content (the sha256 of every variant file against every file shipped), and on a copy of
tests/data/course-mini given variants/ holding a canary token. The wheel is built once for the
module (`pip wheel --no-build-isolation`, which needs hatchling).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from grader.course import resolve_course
from grader.exercises.loader import find_exercise
from grader.gradescope import build_bundle, build_wheel
from grader.handout import export_student

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "course-mini"
VARIANTS = ROOT / "variants"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _variant_files(folder: Path = VARIANTS) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _zip_members(data: bytes, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every file in a zip, and in the zips inside it (the bundled wheel)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            content = zf.read(name)
            yield prefix + name, content
            if name.endswith((".whl", ".zip")):
                yield from _zip_members(content, f"{prefix}{name}!/")


def _has_variants_part(name: str) -> bool:
    return any(part == "variants" for part in PurePosixPath(name.replace("!/", "/")).parts)


def _canary_course(tmp_path: Path) -> tuple[Path, str]:
    """course-mini with variants/add-one/ (a manifest and a correct variant) holding a token."""
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    token = f"CANARY_{uuid.uuid4().hex}"
    folder = course / "variants" / "add-one"
    folder.mkdir(parents=True)
    (folder / "canary_variant.py").write_text(
        f"# {token}\nimport torch\n\n\ndef add_one(x):\n    return x + 1\n", encoding="utf-8"
    )
    (folder / "manifest.yaml").write_text(
        f"# {token}\nvariants:\n  - file: canary_variant.py\n    expect: full\n", encoding="utf-8"
    )
    return course, token


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="building the grader wheel needs hatchling")
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_repository_has_variants_to_leak() -> None:
    """The checks below are not vacuous: the repository's variants/ holds manifests and files."""
    files = _variant_files()
    assert len([p for p in files if p.name == "manifest.yaml"]) >= 10
    assert len([p for p in files if p.suffix == ".py"]) >= 100


def test_the_wheel_carries_no_variant(wheel: Path) -> None:
    """The wheel bundles questions/, exercises/ and solutions/ but no variants/ path, and no
    file of it has a variant file's content."""
    members = dict(_zip_members(wheel.read_bytes()))
    assert any(n.startswith("grader/_bundled/exercises/") for n in members)
    assert not [n for n in members if _has_variants_part(n)]
    record = next(v for n, v in members.items() if n.endswith(".dist-info/RECORD")).decode()
    assert "variants/" not in record
    shipped = {_sha(v) for v in members.values()}
    assert not [p for p in _variant_files() if _sha(p.read_bytes()) in shipped]


def test_the_handout_carries_no_variant(tmp_path: Path) -> None:
    """`grader export-student` of the repository's course and of a canary course: no variants/
    folder, no variant file's name or content, no canary."""
    out = tmp_path / "handout"
    export_student(resolve_course(ROOT), out, answers=True)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    assert not [p for p in files if "variants" in p.relative_to(out).parts]
    shipped = {_sha(p.read_bytes()) for p in files}
    assert not [p for p in _variant_files() if _sha(p.read_bytes()) in shipped]
    variant_names = {p.name for p in _variant_files()} - {"starter.py", "exercise.yaml"}
    assert not {p.name for p in files} & variant_names

    course, token = _canary_course(tmp_path)
    canary_out = tmp_path / "canary-handout"
    export_student(resolve_course(course), canary_out, answers=False)
    canary_files = [p for p in canary_out.rglob("*") if p.is_file()]
    assert (canary_out / "exercises" / "add-one" / "starter.py").is_file()
    assert not [p for p in canary_files if "variants" in p.relative_to(canary_out).parts]
    assert not [p for p in canary_files if token.encode() in p.read_bytes()]
    assert not [p for p in canary_files if p.name == "canary_variant.py"]


def test_the_gradescope_bundle_carries_no_variant(tmp_path: Path, wheel: Path) -> None:
    """A bundle (and the wheel inside it) for an exercise of the repository's course and for
    the canary course's add-one: no variants/ path, no variant content, no canary."""
    repo = resolve_course(ROOT)
    exercise = find_exercise("backward-linear", repo.exercises, repo.solutions)
    assert _variant_files(VARIANTS / exercise.id)
    bundle = build_bundle(exercise, tmp_path / "backward-linear.zip", wheel=wheel)
    members = dict(_zip_members(bundle.read_bytes()))
    assert f"course/exercises/{exercise.id}/exercise.yaml" in members
    assert not [n for n in members if _has_variants_part(n)]
    shipped = {_sha(v) for v in members.values()}
    assert not [p for p in _variant_files() if _sha(p.read_bytes()) in shipped]

    course, token = _canary_course(tmp_path)
    mini = resolve_course(course)
    canary = build_bundle(
        find_exercise("add-one", mini.exercises, mini.solutions),
        tmp_path / "add-one.zip",
        wheel=wheel,
    )
    canary_members = dict(_zip_members(canary.read_bytes()))
    assert "course/exercises/add-one/hidden/test_add_one.py" in canary_members
    assert not [n for n in canary_members if _has_variants_part(n)]
    assert not [n for n, v in canary_members.items() if token.encode() in v]
    assert not [n for n in canary_members if n.endswith("canary_variant.py")]
