"""Helpers of the class-exam tests: the fixture course, a spec, and building an exam with the
real command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_support import run_grader

HERE = Path(__file__).resolve().parent
COURSE = HERE / "course"
SPEC = HERE / "spec.yaml"


def write_roster(path: Path, students: list[str]) -> Path:
    path.write_text("student,name\n" + "".join(f"{s},{s.title()}\n" for s in students))
    return path


def build(tmp: Path, students: list[str] | None, spec: Path = SPEC) -> Path:
    """``grader exam build`` into ``tmp/exam``; the folder."""
    tmp.mkdir(parents=True, exist_ok=True)
    out = tmp / "exam"
    args = ["exam", "build", str(spec), "--course", str(COURSE), "--out", str(out)]
    if students is not None:
        args += ["--students", str(write_roster(tmp / "roster.csv", students))]
    done = run_grader(*args, cwd=tmp)
    assert done.returncode == 0, done.stderr
    return out


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def answer_all(exam_file: Path, data_dir: Path, pick: dict[str, Any] | None = None) -> Path:
    """Sit ``exam_file`` through the app's session (no screen): each item gets ``pick[type]``;
    returns the answers file."""
    from grader.exam.sitting import open_class_exam
    from grader.exam.student_file import read_exam_file

    exam = read_exam_file(exam_file)
    study = open_class_exam(exam, data_dir)
    try:
        session = study.new_session("exam")
        for index, item in enumerate(exam.items):
            session.goto(index)
            if pick is not None and item["type"] in pick:
                value = pick[item["type"]]
                session.answer(value(item) if callable(value) else value)
        session.submit()
        assert session.handed_in is not None
        return session.handed_in
    finally:
        study.close()
