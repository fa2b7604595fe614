"""The owned-executor switch exists for tests only: no CLI option, environment variable or course
file reaches it, and nothing in the grader assigns it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from judge_support import COURSE, SUBMISSIONS, grade_json

REPO = Path(__file__).resolve().parents[2]
SWITCH = "_UNSANDBOXED_FOR_TESTS"


def test_only_its_definition_assigns_it():
    assignments = []
    for path in (REPO / "grader").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(rf"{SWITCH}\s*=[^=]", line):
                assignments.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert assignments == [f"grader/executor/serve.py:{_definition_line()}: {SWITCH} = False"]


def _definition_line() -> int:
    lines = (REPO / "grader/executor/serve.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{SWITCH} ="))


def test_no_cli_option_or_environment_variable_turns_it_on():
    """With every plausible variable set, a submission that imports os is still refused."""
    env_names = [
        "GRADER_UNSANDBOXED",
        "GRADER_UNSANDBOXED_FOR_TESTS",
        "UNSANDBOXED_FOR_TESTS",
        "GRADER_OWNED",
        "GRADER_NO_SANDBOX",
        "GRADER_UNRESTRICTED",
    ]
    env = {**__import__("os").environ, **{name: "1" for name in env_names}}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            "double",
            str(SUBMISSIONS / "owned_memory_scan.py"),
            "--course",
            str(COURSE),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 1
    assert '"policy"' in proc.stdout
    help_text = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "unsandboxed" not in help_text.lower() and "unrestricted" not in help_text.lower()


def test_a_course_file_cannot_ask_for_it(tmp_path):
    """An exercise.yaml that asks for it is rejected by validation (unknown key)."""
    course = tmp_path / "course"
    (course / "exercises").mkdir(parents=True)
    import shutil

    shutil.copytree(COURSE / "exercises" / "double", course / "exercises" / "double")
    (course / "solutions").mkdir()
    yaml_path = course / "exercises" / "double" / "exercise.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8") + "unsandboxed: true\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "validate", str(course)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "unsandboxed" in proc.stdout + proc.stderr


def test_policy_is_on_by_default():
    result = grade_json("double", SUBMISSIONS / "owned_memory_scan.py")
    assert {t["reason"] for t in result["tests"]} == {"policy"}
