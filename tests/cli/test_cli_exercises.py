"""`grader exercises`: the course's exercises, as the installed command prints them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "good"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    beside = Path(sys.executable).with_name("grader")
    command = str(beside) if beside.exists() else shutil.which("grader")
    if command is None:
        pytest.fail("the `grader` command is not installed: run `pip install -e .`")
    environ = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    environ.update(GRADER_DATA_DIR=str(tmp_path / "data"), GRADER_LANG="en")
    return subprocess.run(
        [command, *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
