"""`grader validate` runs the bank text lints (seed citations, CJK typography) over every
exercise.yaml's title, statement and hints, as a user meets it: the installed command in a
subprocess, on a copy of a bundled exercise with three mistakes written into its texts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cli_support import run_grader

REPO = Path(__file__).resolve().parents[2]
EXERCISE = "prune-linear"


def _run(*args: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_grader(*args, cwd=cwd, env={"GRADER_CACHE_DIR": str(tmp_path / "cache")})


def _course(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """A course with a copy of prune-linear whose texts hold a line break inside a Chinese
    paragraph (statement), ASCII quotes around Chinese (title) and a seed citation (a hint);
    returns the course, the exercise.yaml and the line of each mistake."""
    course = tmp_path / "course"
    shutil.copytree(REPO / "exercises" / EXERCISE, course / "exercises" / EXERCISE)
    (course / "solutions").mkdir()
    shutil.copy(REPO / "solutions" / f"{EXERCISE}.py", course / "solutions")
    path = course / "exercises" / EXERCISE / "exercise.yaml"
    text = path.read_text(encoding="utf-8")
    edits = {
        "title": ("  zh: 对线性层做永久剪枝\n", '  zh: 对线性层做"永久"剪枝\n'),
        "statement": ("五成双”），选绝对值", "五成双”），\n      选绝对值"),
        "hint": (
            "only adds a mask: it renames",
            "only adds a mask (the seed says otherwise): it renames",
        ),
    }
    lines = {}
    for name, (old, new) in edits.items():
        assert text.count(old) == 1, f"{EXERCISE}'s exercise.yaml changed: update this test"
        text = text.replace(old, new)
        lines[name] = text[: text.index(new)].count("\n") + 1
    path.write_text(text, encoding="utf-8")
    return course, path, lines


def test_exercise_texts_are_linted_with_file_and_line(tmp_path: Path) -> None:
    """Each mistake is one problem at its own line, as path:line: id: field (lang): message."""
    course, path, lines = _course(tmp_path)
    where = f"exercises/{EXERCISE}/exercise.yaml"
    done = _run("validate", f"exercises/{EXERCISE}", cwd=course, tmp_path=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    out = done.stdout.splitlines()
    assert len(out) == 3, done.stdout
    assert out[0].startswith(
        f"{where}:{lines['title']}: {EXERCISE}: title (zh): ASCII quotes around Chinese text"
    )
    assert out[1].startswith(
        f"{where}:{lines['statement']}: {EXERCISE}: statement (zh): line break beside "
        "full-width '，'"
    )
    assert out[2].startswith(
        f"{where}:{lines['hint']}: {EXERCISE}: hints[0] (en): 'the seed says' cites the seed notes"
    )
    assert done.stderr.strip() == "3 problems in 0 banks (0 questions), 1 exercise"
    path.write_text((REPO / "exercises" / EXERCISE / "exercise.yaml").read_text("utf-8"), "utf-8")
    clean = _run("validate", f"exercises/{EXERCISE}", cwd=course, tmp_path=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_no_typography_keeps_the_citation_lint(tmp_path: Path) -> None:
    """--no-typography turns the typography lint off for exercises too; citations still fail."""
    course, _, lines = _course(tmp_path)
    done = _run(
        "validate", "--no-typography", f"exercises/{EXERCISE}", cwd=course, tmp_path=tmp_path
    )
    assert done.returncode == 1
    out = done.stdout.splitlines()
    assert len(out) == 1 and out[0].startswith(
        f"exercises/{EXERCISE}/exercise.yaml:{lines['hint']}: {EXERCISE}: hints[0] (en): "
    )


def test_a_starter_naming_starter_py_is_reported(tmp_path: Path) -> None:
    """The learner's copy is `<id>.py` in the app: a starter telling them to run a command on
    `starter.py` is a problem at its line."""
    course, _, _ = _course(tmp_path)
    (course / "exercises" / EXERCISE / "exercise.yaml").write_text(
        (REPO / "exercises" / EXERCISE / "exercise.yaml").read_text("utf-8"), "utf-8"
    )
    starter = course / "exercises" / EXERCISE / "starter.py"
    text = starter.read_text(encoding="utf-8")
    text = text.replace("<this file>", "starter.py", 1)
    assert "starter.py" in text, f"{EXERCISE}'s starter changed: update this test"
    starter.write_text(text, encoding="utf-8")
    line = text[: text.index("starter.py")].count("\n") + 1
    done = _run("validate", f"exercises/{EXERCISE}", cwd=course, tmp_path=tmp_path)
    assert done.returncode == 1, done.stdout
    assert done.stdout.startswith(
        f"exercises/{EXERCISE}/starter.py:{line}: {EXERCISE}: the starter names 'starter.py', "
        f"but the learner's copy is called '{EXERCISE}.py'"
    ), done.stdout
