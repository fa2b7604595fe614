"""The student handout: questions, exercise statements, starters and public checks — never hidden
checks or solutions.

Files are copied from an allow-list (never "everything but hidden/"), so a new kind of secret file
cannot leak by accident. With ``answers=False`` the question banks lose every field that gives an
answer away (answer, explanation, reference, key_points, regex): that version is for a graded
exam on paper, not for the app, which needs answers to give feedback.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from grader.course import Course
from grader.errors import UsageError
from grader.exercises.loader import exercise_ids

ANSWER_FIELDS = ("answer", "explanation", "reference", "key_points", "regex")
EXERCISE_FILES = ("exercise.yaml", "starter.py")


@dataclass
class HandoutReport:
    banks: int = 0
    exercises: int = 0
    files: list[Path] = field(default_factory=list)


def _strip_answers(text: str) -> str:
    data = yaml.safe_load(text)
    for question in data.get("questions", []) if isinstance(data, dict) else []:
        if isinstance(question, dict):
            for key in ANSWER_FIELDS:
                question.pop(key, None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def export_student(course: Course, out: Path, *, answers: bool = True) -> HandoutReport:
    """Write the handout of ``course`` to ``out`` (which must not exist or be empty)."""
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is not empty; choose a new folder for the handout")
    report = HandoutReport()
    q_out = out / "questions"
    for bank in sorted(course.questions.glob("*.yaml")) if course.questions.is_dir() else []:
        if bank.name in ("ids.txt",):
            continue
        text = bank.read_text(encoding="utf-8")
        if not answers and bank.name != "seed_sections.yaml":
            text = _strip_answers(text)
        q_out.mkdir(parents=True, exist_ok=True)
        (q_out / bank.name).write_text(text, encoding="utf-8")
        report.files.append(q_out / bank.name)
        report.banks += bank.name != "seed_sections.yaml"
    for ex_id in exercise_ids(course.exercises):
        src = course.exercises / ex_id
        dst = out / "exercises" / ex_id
        dst.mkdir(parents=True, exist_ok=True)
        names = [*EXERCISE_FILES, *(p.name for p in sorted(src.glob("test_public*.py")))]
        for name in names:
            if (src / name).is_file():
                shutil.copyfile(src / name, dst / name)
                report.files.append(dst / name)
        report.exercises += 1
    readme = out / "README.md"
    readme.write_text(
        "# Student handout / 学生资料\n\n"
        "Work on `exercises/<id>/starter.py`, then run the public checks:\n"
        "完成 `exercises/<id>/starter.py` 后运行公开检查：\n\n"
        "    grader check <id> exercises/<id>/starter.py --course .\n\n"
        "Quiz / 测验: `grader quiz --course .`\n"
        + (
            ""
            if answers
            else "\nThe question banks here have no answers (exam paper).\n"
            "本资料中的题库不含答案（考试用）。\n"
        ),
        encoding="utf-8",
    )
    report.files.append(readme)
    return report
