"""Provides the student exam file (``<student>.exam``) and the answers file a student hands in.

A student file holds, per item, what the student must see and nothing that gives the answer:
the type, the prompt and options in both languages (options already in this student's order),
the code of a ``code_output`` question, the points, and the hints not marked ``gives_away``. It
never holds an answer, an explanation, a tolerance, an accepted-answer list, a reference answer,
the question's bank id, or the seed its orders were drawn from (those are in the key).

The answers file (``<student>.answers.json``) holds the responses *in the order the student saw
the options* (an index into the file's ``options``), the student's own clock times, the time
used and the app version. The instructor's key maps those indices back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.errors import UsageError

__all__ = [
    "ANSWERS_FORMAT",
    "EXAM_FORMAT",
    "ExamFile",
    "ExamFileError",
    "answers_path",
    "read_exam_file",
    "write_answers",
]

EXAM_FORMAT = "torch-grader-exam"
ANSWERS_FORMAT = "torch-grader-exam-answers"
FORMAT_VERSION = 1

STUDENT_KEYS = ("item", "type", "prompt", "options", "code", "points", "hints")
"""Every key an item of a student file may have (a test checks no other appears)."""


def read_document(
    path: Path,
    fmt: str,
    what: str,
    kind: str,
    writer: str,
    error: type[UsageError] = UsageError,
) -> dict[str, Any]:
    """The JSON object in ``path`` whose ``format`` is ``fmt`` (a file ``writer`` wrote), or
    ``error`` saying what is wrong: unreadable (``cannot read {what}``), not JSON, or another
    kind of file (``not {kind}``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(f"{path}: not {kind} (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise error(f"{path}: not {kind} written by `{writer}`")
    return data


class ExamFileError(UsageError):
    """A student exam file that cannot be read."""


@dataclass(frozen=True)
class ExamFile:
    """A read student exam file."""

    path: Path
    exam_id: str
    student: str
    title: dict[str, str] | None
    time_limit_s: float | None
    deadline: datetime | None
    items: list[dict[str, Any]]


def read_exam_file(path: Path) -> ExamFile:
    """Read a student exam file.

    Raises:
        ExamFileError: unreadable, not JSON, or not an exam file.
    """
    data = read_document(
        path, EXAM_FORMAT, "the exam file", "an exam file", "grader exam build", ExamFileError
    )
    deadline = data.get("deadline")
    return ExamFile(
        path=path,
        exam_id=str(data["exam_id"]),
        student=str(data["student"]),
        title=data.get("title"),
        time_limit_s=data.get("time_limit_s"),
        deadline=datetime.fromisoformat(deadline) if deadline else None,
        items=list(data["items"]),
    )


def answers_path(exam: ExamFile) -> Path:
    """Where the answers file goes: beside the exam file, ``<student>.answers.json``."""
    return exam.path.with_name(f"{exam.student}.answers.json")


def write_answers(
    exam: ExamFile,
    responses: dict[str, Any],
    *,
    answered_at: dict[str, str],
    started_at: datetime,
    submitted_at: datetime,
    time_used_s: float,
    timed_out: bool,
) -> Path:
    """Write the answers file (atomically) and return its path."""
    from grader import __version__

    data = {
        "format": ANSWERS_FORMAT,
        "format_version": FORMAT_VERSION,
        "exam_id": exam.exam_id,
        "student": exam.student,
        "app_version": __version__,
        "clock_note": "times are the student's own computer clock",
        "started_at": started_at.isoformat(),
        "submitted_at": submitted_at.isoformat(),
        "time_used_s": round(time_used_s, 1),
        "timed_out": timed_out,
        "answers": [
            {
                "item": item["item"],
                "response": responses.get(item["item"]),
                "answered_at": answered_at.get(item["item"]),
            }
            for item in exam.items
        ],
    }
    target = answers_path(exam)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    return target
