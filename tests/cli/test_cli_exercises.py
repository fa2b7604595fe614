"""`grader exercises`: the course's exercises, as the installed command prints them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_support import run_grader

GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "good"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"GRADER_DATA_DIR": str(tmp_path / "data"), "GRADER_LANG": "en"}
    return run_grader(*args, cwd=tmp_path, env=env)


def test_json(tmp_path: Path) -> None:
    """--format json prints each exercise with its title in both languages, zh first."""
    done = run("exercises", "--format", "json", "--course", str(GOOD), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.index('"zh": "加二"') < done.stdout.index('"en": "Add two"')
    assert json.loads(done.stdout) == {
        "exercises": [
            {
                "id": "add-two",
                "title": {"zh": "加二", "en": "Add two"},
                "points": 3.5,
                "device": "cpu",
                "time_limit": 10.0,
                "tags": ["tensors"],
            }
        ]
    }


def test_piped_table_keeps_every_id_whole(tmp_path: Path) -> None:
    """Piped (rich's 80 columns), every bundled exercise id is on one line, whole: it is what
    the learner types next. Titles wrap instead."""
    from grader.course import resolve_course
    from grader.exercises.loader import load_exercises

    active = resolve_course(None)
    ids = [e.id for e in load_exercises(active.exercises, active.solutions)]
    done = run_grader("exercises", cwd=tmp_path, env={"GRADER_LANG": "en", "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    cells = [line.split("│")[1].strip() for line in done.stdout.splitlines() if "│" in line]
    assert sorted(c for c in cells if c) == sorted(ids), done.stdout


def test_chinese_headers_and_devices(tmp_path: Path) -> None:
    """`grader --lang zh` (or GRADER_LANG=zh) gives Chinese headers and device values; the
    command's own --lang wins over both."""
    for args, env in (
        (("--lang", "zh", "exercises"), {"GRADER_LANG": "en"}),
        (("exercises",), {"GRADER_LANG": "zh"}),
    ):
        done = run_grader(*args, "--course", str(GOOD), cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        for word in ("标题", "分值", "设备", "加二", "CPU"):
            assert word in done.stdout, (args, done.stdout)
        assert "title" not in done.stdout and "points" not in done.stdout
    done = run_grader(
        "--lang", "zh", "exercises", "--lang", "en", "--course", str(GOOD), cwd=tmp_path
    )
    assert "Add two" in done.stdout and "points" in done.stdout, done.stdout
