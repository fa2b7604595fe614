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
