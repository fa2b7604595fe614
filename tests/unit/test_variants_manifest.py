"""Reading a course's variants/<id>/manifest.yaml: every problem names the file and the line.

Nothing is graded here (no torch): `grader.verify.variants.load_variants` on small courses
built from tests/data/course-mini's add-one exercise (hidden checks test_value, test_sizes,
test_dtype).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.exercises.loader import load_exercises
from grader.verify.variants import load_variants, variants_folder

MINI = Path(__file__).resolve().parents[1] / "data" / "course-mini"
CORRECT = "import torch\n\n\ndef add_one(x):\n    return x + 1\n"


def _course(tmp_path: Path, manifest: str | None, files: tuple[str, ...] = ()) -> Path:
    """A course with add-one and variants/add-one/ holding ``files`` and ``manifest``."""
    course = tmp_path / "course"
    shutil.copytree(MINI / "exercises" / "add-one", course / "exercises" / "add-one")
    folder = course / "variants" / "add-one"
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(CORRECT, encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return course


def _load(course: Path):
    exercises = load_exercises(course / "exercises")
    return load_variants(variants_folder(course / "exercises"), exercises)


def _found(course: Path) -> list[tuple[int | None, str]]:
    _, problems, _ = _load(course)
    assert all(p.id == "add-one" for p in problems)
    return [(p.line, p.message) for p in problems]


def test_a_good_manifest_loads_every_entry(tmp_path: Path) -> None:
    course = _course(
        tmp_path,
        "# comment\n"
        "variants:\n"
        "  - file: a.py\n"
        "    expect: full\n"
        "  - file: b.py\n"
        "    expect: fail\n"
        "    fails: [test_value, test_sizes]\n",
        ("a.py", "b.py"),
    )
    variants, problems, manifests = _load(course)
    assert (problems, manifests) == ([], 1)
    assert [(v.name, v.line, v.expect, v.fails) for v in variants] == [
        ("a.py", 3, "full", ()),
        ("b.py", 5, "fail", ("test_value", "test_sizes")),
    ]
    assert variants[0].path == course / "variants" / "add-one" / "a.py"


def test_each_entry_problem_is_reported_on_its_line(tmp_path: Path) -> None:
    """Missing file, file on disk not listed, bad expect, fail without fails, full with fails,
    unknown check, unknown key, listed twice: all in one run, each on its own line."""
    manifest = (
        "variants:\n"  # 1
        "  - file: missing.py\n"  # 2
        "    expect: full\n"  # 3
        "  - file: a.py\n"  # 4
        "    expect: passes\n"  # 5
        "  - file: b.py\n"  # 6
        "    expect: fail\n"  # 7
        "  - file: c.py\n"  # 8
        "    expect: full\n"  # 9
        "    fails: [test_value]\n"  # 10
        "  - file: d.py\n"  # 11
        "    expect: fail\n"  # 12
        "    fails: [test_value,\n"  # 13
        "            test_dtpye]\n"  # 14
        "  - file: e.py\n"  # 15
        "    expect: full\n"  # 16
        "    fail: [test_value]\n"  # 17
        "  - file: a.py\n"  # 18
        "    expect: full\n"  # 19
    )
    course = _course(tmp_path, manifest, ("a.py", "b.py", "c.py", "d.py", "e.py", "stray.py"))
    variants, problems, _ = _load(course)
    assert variants == [], "no entry with a problem is graded"
    path = course / "variants" / "add-one" / "manifest.yaml"
    assert {p.path for p in problems} == {path}
    assert _found(course) == [
        (1, "stray.py is in the folder but not in the manifest: add an entry "
            "(`- file: stray.py` with `expect: full` or `expect: fail`)"),
        (2, "missing.py does not exist in add-one/"),
        (5, "`expect: passes`: expect is `full` or `fail`"),
        (7, "a variant with `expect: fail` must list the checks it fails: "
            "`fails: [test_name, ...]`"),
        (10, "a variant with `expect: full` lists no `fails` (it must lose no points)"),
        (14, "no hidden check named test_dtpye in add-one/hidden/ (did you mean 'test_dtype'?)"),
        (17, "unknown key 'fail' (did you mean 'fails'?): an entry has `file`, `expect` and, "
             "for `expect: fail`, `fails`"),
        (18, "a.py is listed twice (first at line 4)"),
    ]  # fmt: skip
    assert str(problems[1]) == f"{path}:2: add-one: missing.py does not exist in add-one/"


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("variants:\n\t- file: a.py\n", (2, "tab character in indentation")),
        ("variants: a.py\n", (1, "`variants` must be a list of entries")),
        ("entries:\n  - file: a.py\n", (1, "unknown key 'entries'")),
        ("variants:\n  - file: a.py\n    expect: fail\n    fails: test_value\n", (4, "`fails` must")),
        ("variants:\n  - file: a.py\n    expect: fail\n    fails: []\n", (4, "`fails` must")),
        ("variants:\n  - file: ../a.py\n    expect: full\n", (2, "give a .py file name")),
        ("variants:\n  - a.py\n", (2, "an entry must be a mapping")),
        ("variants:\n  - file: a.py\n", (2, "the entry has no `expect:`")),
    ],
    ids=["tab", "not-a-list", "unknown-top-key", "fails-scalar", "fails-empty", "path",
         "scalar-entry", "no-expect"],
)  # fmt: skip
def test_malformed_manifests(tmp_path: Path, manifest: str, expected: tuple[int, str]) -> None:
    course = _course(tmp_path, manifest, ("a.py",))
    line, start = expected
    found = _found(course)
    assert any(got_line == line and start in message for got_line, message in found), found


def test_a_folder_named_after_no_exercise(tmp_path: Path) -> None:
    """variants/add-on/ (a typo): reported on its manifest's `variants:` line, with the nearest
    exercise id; a folder without a manifest is reported too."""
    course = _course(tmp_path, None)
    typo = course / "variants" / "add-on"
    typo.mkdir()
    (typo / "manifest.yaml").write_text("# typo\nvariants:\n  - file: a.py\n", encoding="utf-8")
    _, problems, manifests = _load(course)
    assert manifests == 0
    assert [(p.path, p.line, p.id, p.message) for p in problems] == [
        (
            typo / "manifest.yaml",
            2,
            "add-on",
            "no exercise 'add-on' in exercises/ (did you mean 'add-one'?): a variants folder is "
            "named after the exercise id",
        ),
        (course / "variants" / "add-one", None, "add-one", "no manifest.yaml in this variants folder"),
    ]  # fmt: skip


def test_a_course_without_variants_has_none(tmp_path: Path) -> None:
    course = _course(tmp_path, None)
    shutil.rmtree(course / "variants")
    assert _load(course) == ([], [], 0)
