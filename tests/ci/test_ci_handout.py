"""`grader export-student`: the handout never holds a hidden check or a solution.

Runs on the real course at the repository root, whatever exercises it has today, with and
without answers, plus canaries planted in a copy of it.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from ci_support import make_user_venv, offline_env, run_step

from grader.course import Course, resolve_course
from grader.exercises.loader import exercise_ids
from grader.handout import ANSWER_FIELDS, export_student

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "course-mini"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MIN_LINE = 16
"""Shorter lines (``return x``, ``import torch``) are too common to mean anything."""


def _lines(path: Path) -> set[str]:
    """The distinctive source lines of a file: stripped, long enough, not comments."""
    text = path.read_text(encoding="utf-8")
    return {
        s
        for s in (line.strip() for line in text.splitlines())
        if len(s) >= MIN_LINE and not s.startswith("#")
    }


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def _published(course: Course) -> str:
    """Everything a student may legitimately read: banks, statements, starters, public checks."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(course.questions.glob("*.y*ml"))]
    for ex in exercise_ids(course.exercises):
        folder = course.exercises / ex
        for path in [
            folder / "exercise.yaml",
            folder / "starter.py",
            *folder.glob("test_public*.py"),
        ]:
            if path.is_file():
                parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _secrets(course: Course) -> dict[str, set[str]]:
    """Per exercise: hidden check lines and names, and solution lines, found nowhere published."""
    published = _published(course)
    secrets: dict[str, set[str]] = {}
    for ex in exercise_ids(course.exercises):
        found: set[str] = set()
        for check in sorted((course.exercises / ex / "hidden").glob("*.py")):
            found |= _lines(check) | _test_names(check)
        solution = course.solutions / f"{ex}.py"
        if solution.is_file():
            found |= _lines(solution)
        secrets[ex] = {s for s in found if s not in published}
    return secrets


def _handout_text(out: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(out.rglob("*"))
        if p.is_file()
    )


@pytest.mark.parametrize("answers", [True, False], ids=["answers", "no-answers"])
def test_real_course_handout_leaks_no_hidden_check_or_solution(tmp_path, answers):
    """Every exercise of the bundled course: no hidden check source or name, no solution line."""
    course = resolve_course(ROOT)
    ids = exercise_ids(course.exercises)
    assert ids, "the course has no exercises"
    secrets = _secrets(course)
    assert all(secrets[ex] for ex in ids if (course.exercises / ex / "hidden").is_dir())
    out = tmp_path / "handout"
    report = export_student(course, out, answers=answers)
    assert report.exercises == len(ids)
    files = [p.relative_to(out) for p in out.rglob("*") if p.is_file()]
    assert not [f for f in files if "hidden" in f.parts or "solutions" in f.parts]
    for ex in ids:
        assert (out / "exercises" / ex / "starter.py").is_file()
    text = _handout_text(out)
    leaks = {ex: sorted(s for s in found if s in text) for ex, found in secrets.items()}
    assert not any(leaks.values()), leaks


def test_answers_are_kept_or_stripped(tmp_path):
    """--answers copies the banks as they are; --no-answers removes every answer field and
    reorders `order` questions (written in the right order)."""
    course = resolve_course(ROOT)
    with_answers = tmp_path / "with"
    without = tmp_path / "without"
    export_student(course, with_answers, answers=True)
    export_student(course, without, answers=False)
    banks = sorted(p for p in course.questions.glob("*.yaml") if p.name != "seed_sections.yaml")
    assert banks
    orders = 0
    for bank in banks:
        original = bank.read_text(encoding="utf-8")
        assert (with_answers / "questions" / bank.name).read_text(encoding="utf-8") == original
        source = {q["id"]: q for q in yaml.load(original, Loader=LOADER)["questions"]}
        stripped = yaml.load(
            (without / "questions" / bank.name).read_text(encoding="utf-8"), Loader=LOADER
        )
        assert [q["id"] for q in stripped["questions"]] == list(source)
        for question in stripped["questions"]:
            assert not set(ANSWER_FIELDS) & set(question), (bank.name, question["id"])
            assert question["prompt"] == source[question["id"]]["prompt"]
            if question["type"] == "order":
                orders += 1
                assert question["options"] != source[question["id"]]["options"]
                assert sorted(map(str, question["options"])) == sorted(
                    map(str, source[question["id"]]["options"])
                )
    assert orders > 0
    assert "no answers" in (without / "README.md").read_text(encoding="utf-8")


def test_canaries_planted_in_hidden_checks_and_solutions_never_leak(tmp_path):
    """A copy of the course gets a secret token in hidden/, in solutions/ and in an unknown file
    inside an exercise folder: none reaches the handout (files come from an allow-list)."""
    course_dir = tmp_path / "course"
    for name in ("questions", "exercises", "solutions"):
        shutil.copytree(ROOT / name, course_dir / name)
    token = f"CANARY_{uuid.uuid4().hex}"
    for ex in exercise_ids(course_dir / "exercises"):
        folder = course_dir / "exercises" / ex
        (folder / "hidden").mkdir(exist_ok=True)
        (folder / "hidden" / "test_canary.py").write_text(f"def test_{token}():\n    pass\n")
        (folder / "hidden" / "data.txt").write_text(token)
        (folder / "notes_for_staff.md").write_text(token)
        (folder / "solution.py").write_text(f"# {token}\n")
        (course_dir / "solutions" / f"{ex}.py").write_text(f"SECRET = {token!r}\n")
    out = tmp_path / "handout"
    export_student(resolve_course(course_dir), out, answers=False)
    assert token not in _handout_text(out)
    names = {p.name for p in out.rglob("*")}
    assert not names & {"hidden", "solutions", "solution.py", "notes_for_staff.md", "data.txt"}


def test_cli_handout_is_a_working_course(tmp_path):
    """`grader export-student` output works as a course: `grader check` runs its public checks
    on the starter; a non-empty OUT is refused with exit 2."""
    out = tmp_path / "handout"
    grader = [sys.executable, "-m", "grader"]
    made = subprocess.run(
        [*grader, "export-student", str(out), "--course", str(MINI)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (out / "exercises" / "add-one").iterdir()) == [
        "exercise.yaml",
        "starter.py",
        "test_public.py",
    ]
    check = subprocess.run(
        [
            *grader,
            "check",
            "add-one",
            str(out / "exercises" / "add-one" / "starter.py"),
            "--course",
            str(out),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    doc = json.loads(check.stdout)
    assert doc["kind"] == "public" and [t["name"] for t in doc["tests"]] == ["test_returns_tensor"]
    again = subprocess.run(
        [*grader, "export-student", str(out), "--course", str(MINI)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "not an empty folder" in again.stderr


def _install_commands(readme: str) -> list[str]:
    block = readme.split("## Install / 安装", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_a_student_following_the_readme_gets_public_checks_running(
    tmp_path, grader_wheel, deps_view
):
    """The handout pins the wheel the CI kit pins (same file, same sha256); its README's install
    commands, run as written in a fresh venv with no index reachable, end in `grader check`
    running the public checks."""
    from grader.pinned_wheel import write_pinned_wheel

    pinned = write_pinned_wheel(tmp_path / "ci", grader_wheel)  # what `grader ci-kit` writes
    out = tmp_path / "handout"
    made = subprocess.run(
        [sys.executable, "-m", "grader", "export-student", str(out), "--course", str(MINI)]
        + ["--wheel", str(pinned.path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    shipped = out / "wheel" / pinned.path.name
    assert shipped.read_bytes() == pinned.path.read_bytes()
    assert (out / "wheel" / (shipped.name + ".sha256")).read_text().split() == [
        pinned.sha256,
        shipped.name,
    ]
    commands = _install_commands((out / "README.md").read_text(encoding="utf-8"))
    assert commands[0].startswith("python3 -m venv .venv")
    assert any("sha256sum --check --strict" in c for c in commands)
    assert not any("pip install torch-grader" in c or "pip install grader" in c for c in commands)
    # The venv the first command makes is made here (so it sees the grader's dependencies).
    bin_dir = make_user_venv(out / ".venv", deps_view)
    env = offline_env(bin_dir)
    results = []
    for command in commands[1:]:
        proc = run_step(command, out, env, timeout=600)
        results.append((command, proc.returncode, proc.stdout[-2000:] + proc.stderr[-2000:]))
    for command, code, output in results[:-1]:
        assert code == 0, (command, output)
    command, code, output = results[-1]
    assert command.startswith("grader check add-one exercises/add-one/starter.py")
    assert code in (0, 1), output  # the starter may fail its public checks; they ran
    assert "test_returns_tensor" in output


def test_a_tampered_handout_wheel_stops_the_install(tmp_path, grader_wheel):
    """The README's hash check fails on a wheel that is not the pinned one."""
    out = tmp_path / "handout"
    export_student(resolve_course(MINI), out, wheel=grader_wheel)
    (wheel,) = (out / "wheel").glob("*.whl")
    wheel.write_bytes(wheel.read_bytes()[:-10])
    check = next(c for c in _install_commands((out / "README.md").read_text()) if "sha256" in c)
    proc = run_step(check, out, dict(os.environ))
    assert proc.returncode != 0 and "FAILED" in proc.stdout + proc.stderr
