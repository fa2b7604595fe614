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

from grader.bank.model import QUESTION_TYPES
from grader.errors import UsageError
from grader.i18n import Text, say

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
    what: str | Text,
    kind: str | Text,
    writer: str,
    error: type[UsageError] = UsageError,
) -> dict[str, Any]:
    """The JSON object in ``path`` whose ``format`` is ``fmt`` (a file ``writer`` wrote), or
    ``error`` saying what is wrong: unreadable (``cannot read {what}``), not JSON, or another
    kind of file (``not {kind}``)."""
    follow = isinstance(what, Text) and isinstance(kind, Text)

    def message(text: Text, **values: Any) -> str:
        """In the language of the run when the caller named the document in both languages,
        else in English (the exam file's own messages are English)."""
        values.update(
            what=say(what) if isinstance(what, Text) else what,
            kind=say(kind) if isinstance(kind, Text) else kind,
        )
        return say(text, **values) if follow else text.en.format(**values)

    unreadable, not_json, not_kind = _DOCUMENT_ERRORS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(message(unreadable, path=path, why=exc.strerror)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise error(message(not_json, path=path, why=exc)) from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise error(message(not_kind, path=path, writer=writer))
    return data


_DOCUMENT_ERRORS = (
    Text(zh="{path}：无法读取{what}：{why}", en="{path}: cannot read {what}: {why}"),
    Text(zh="{path}：不是{kind}（不是 JSON：{why}）", en="{path}: not {kind} (not JSON: {why})"),
    Text(
        zh="{path}：不是由 `{writer}` 写出的{kind}", en="{path}: not {kind} written by `{writer}`"
    ),
)
"""read_document's errors."""


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


_CHOICES = ("single", "multiple", "order")


def _bilingual(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("zh"), str)
        and isinstance(value.get("en"), str)
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _item_problem(item: Any, seen: set[str]) -> str | None:
    """What is wrong with one item of a student file (None when nothing is)."""
    if not isinstance(item, dict):
        return "is not an object"
    label = item.get("item")
    if not isinstance(label, str) or not label:
        return "has no 'item' label"
    if label in seen:
        return f"repeats the label {label!r}"
    kind = item.get("type")
    if kind not in QUESTION_TYPES:
        return f"has type {kind!r}, not one of {', '.join(QUESTION_TYPES)}"
    if not _bilingual(item.get("prompt")):
        return "'prompt' is not a text with 'zh' and 'en'"
    if "points" in item and not (_number(item["points"]) and item["points"] >= 0):
        return f"'points' is {item['points']!r}, not a number of at least 0"
    options = item.get("options")
    if kind in _CHOICES and not (
        isinstance(options, list) and len(options) >= 2 and all(map(_bilingual, options))
    ):
        return "'options' is not a list of at least 2 texts with 'zh' and 'en'"
    if kind == "code_output":
        if not isinstance(item.get("code"), str):
            return "'code' is missing or not a text"
        if options is not None and not (
            isinstance(options, list) and all(isinstance(o, str) for o in options)
        ):
            return "'options' is not a list of texts"
    hints = item.get("hints", [])
    if not (isinstance(hints, list) and all(map(_bilingual, hints))):
        return "'hints' is not a list of texts with 'zh' and 'en'"
    return None


def _check_exam(path: Path, data: dict[str, Any]) -> datetime | None:
    """Raise ``ExamFileError`` naming the first field of ``data`` that the app cannot sit (an
    edited or damaged file), else return its deadline."""

    def damaged(where: str, what: str) -> ExamFileError:
        return ExamFileError(
            f"{path}: {where} {what}: the file is damaged or was edited; ask your teacher for "
            "a fresh copy"
        )

    for key in ("exam_id", "student"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise damaged(f"'{key}'", "is missing or not a text")
    title = data.get("title")
    if title is not None and not _bilingual(title):
        raise damaged("'title'", "is not a text with 'zh' and 'en'")
    limit = data.get("time_limit_s")
    if limit is not None and not (_number(limit) and limit > 0):
        raise damaged("'time_limit_s'", f"is {limit!r}, not a positive number of seconds")
    deadline = data.get("deadline")
    when: datetime | None = None
    if deadline is not None:
        try:
            when = datetime.fromisoformat(deadline) if isinstance(deadline, str) else None
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            raise damaged("'deadline'", f"is {deadline!r}, not a date and time with its zone")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise damaged("'items'", "is missing or empty")
    seen: set[str] = set()
    for index, item in enumerate(items):
        problem = _item_problem(item, seen)
        if problem is not None:
            label = item.get("item") if isinstance(item, dict) else None
            where = f"item {index + 1}" + (f" ({label})" if isinstance(label, str) else "")
            raise damaged(where, problem)
        seen.add(item["item"])
    return when


def read_exam_file(path: Path) -> ExamFile:
    """Read a student exam file.

    Raises:
        ExamFileError: unreadable, not JSON, not an exam file, or a field the app cannot sit
            (missing, of the wrong type, an unknown question type: an edited or damaged file),
            named in the message.
    """
    data = read_document(
        path, EXAM_FORMAT, "the exam file", "an exam file", "grader exam build", ExamFileError
    )
    deadline = _check_exam(path, data)
    return ExamFile(
        path=path,
        exam_id=str(data["exam_id"]),
        student=str(data["student"]),
        title=data.get("title"),
        time_limit_s=data.get("time_limit_s"),
        deadline=deadline,
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
