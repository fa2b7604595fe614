"""`grader validate` as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"


def grader_command() -> str:
    """The installed `grader` script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("grader")
    found = str(beside) if beside.exists() else shutil.which("grader")
    if found is None:
        pytest.fail("the `grader` command is not installed: run `pip install -e .`")
    return found


def run(*args: str, cwd: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    environ.update(GRADER_CACHE_DIR=str(tmp_path / "cache"), **env)
    return subprocess.run(
        [grader_command(), *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_clean_course_exits_0(tmp_path: Path) -> None:
    """A clean course: exit 0, nothing on stdout, a one-line summary on stderr."""
    done = run("validate", "--course", "good", cwd=DATA, tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.strip() == "ok: 1 bank (12 questions), 1 exercise"


def test_course_found_in_the_current_folder(tmp_path: Path) -> None:
    """Run inside a course folder, its questions/ and exercises/ are checked."""
    done = run("validate", cwd=DATA / "problems", tmp_path=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "questions/basics.yaml:16: basics-unregistered: unknown source 's000-q4' (did you mean "
        "'s000-q04'?): not a section id in questions/seed_sections.yaml"
    ) in lines
    assert all(line.startswith(("questions/", "exercises/")) for line in lines)
    assert len(lines) == 15


def test_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    """Exit 1, every problem on stdout as path:line: id: message, no traceback."""
    done = run(
        "validate", "broken/answer_range.yaml", "broken/gbk.yaml", cwd=DATA, tmp_path=tmp_path
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "broken/answer_range.yaml:13: range-single: answer 3 is out of range (3 options: 0..2)",
        "broken/answer_range.yaml:25: range-multiple: answer 5 is out of range (2 options: 0..1)",
        "broken/answer_range.yaml:26: range-multiple: answer lists option 0 twice",
        "broken/answer_range.yaml:34: range-negative: answer -1 is out of range (2 options: 0..1)",
        "broken/gbk.yaml:2: -: file is not UTF-8: byte 0xb1 cannot be decoded (it looks like "
        "GBK/GB18030, which Windows uses for Chinese); re-save it as UTF-8 "
        "(in Notepad: Save as > Encoding > UTF-8)",
    ]
    assert done.stderr.strip() == "5 problems in 1 bank (0 questions), 0 exercises"


def test_every_broken_fixture_without_a_traceback(tmp_path: Path) -> None:
    """The whole broken folder is reported in one run and nothing crashes."""
    done = run("validate", "broken", "dupes", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) >= 40


def test_missing_path_exits_2(tmp_path: Path) -> None:
    """A path that does not exist is a usage error."""
    done = run("validate", "no-such-bank.yaml", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 2
    assert "no-such-bank.yaml" in done.stderr and "does not exist" in done.stderr


def test_update_ids(tmp_path: Path) -> None:
    """--update-ids registers new ids, says so, and the next run is clean of registry problems."""
    course = tmp_path / "course"
    shutil.copytree(DATA / "good", course)
    (course / "questions" / "ids.txt").write_text("good-single\n")
    first = run("validate", cwd=course, tmp_path=tmp_path)
    assert first.returncode == 1 and len(first.stdout.splitlines()) == 11
    second = run("validate", "--update-ids", cwd=course, tmp_path=tmp_path)
    assert second.returncode == 0, second.stdout
    assert "added 11 ids to questions/ids.txt" in second.stderr


def test_help_text(tmp_path: Path) -> None:
    """The command explains itself."""
    done = run("validate", "--help", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 0
    assert "path:line: id: message" in done.stdout
    assert "--update-ids" in done.stdout
