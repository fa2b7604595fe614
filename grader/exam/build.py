"""Provides ``grader exam build``: per-student exam files and the instructor's key.

Every random choice comes from ``random.Random`` seeded with an HMAC-SHA256 of the spec's secret
seed and a label (``questions`` for the shared draw, ``student:<id>`` for one student's orders),
so a build is reproducible from the seed, and a student who knows their own id and every public
bank still cannot recompute another order without the seed (which is only in the key).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import random
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.bank.model import (
    CodeOutputQuestion,
    MultipleQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
)
from grader.errors import UsageError
from grader.exam.spec import ExamSpec, spec_summary
from grader.exam.student_file import EXAM_FORMAT, FORMAT_VERSION
from grader.study.content import Catalog

__all__ = ["KEY_FORMAT", "BuildResult", "build_exam", "read_roster", "student_item"]

KEY_FORMAT = "torch-grader-exam-key"
SHARED_STUDENT = "class"
"""The student id of the one shared file written when there is no roster."""


@dataclass(frozen=True)
class BuildResult:
    key_path: Path
    student_files: list[Path]
    item_count: int


def _rng(seed: str, label: str) -> random.Random:
    digest = hmac.new(seed.encode(), label.encode(), hashlib.sha256).digest()
    return random.Random(int.from_bytes(digest, "big"))


def read_roster(path: Path) -> list[tuple[str, str]]:
    """``(student id, name)`` rows of a roster CSV with a ``student`` (or ``id``) column and an
    optional ``name`` column.

    Raises:
        UsageError: unreadable, no id column, a blank, unsafe or repeated id (``file:line``).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the roster: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    column = next((f for f in ("student", "id") if f in fields), None)
    if column is None:
        raise UsageError(f"{path}:1: the roster needs a 'student' (or 'id') column")
    original = (reader.fieldnames or [])[fields.index(column)]
    name_col = next(
        (n for n, f in zip(reader.fieldnames or [], fields, strict=True) if f == "name"), None
    )
    rows: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        sid = (row.get(original) or "").strip()
        if not sid:
            raise UsageError(f"{path}:{number}: the student id is blank")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", sid):
            raise UsageError(
                f"{path}:{number}: student id {sid!r} becomes a file name: use letters, digits, "
                "'.', '-' and '_'"
            )
        if sid in seen:
            raise UsageError(f"{path}:{number}: student {sid!r} is already on line {seen[sid]}")
        seen[sid] = number
        rows.append((sid, (row.get(name_col) or "").strip() if name_col else ""))
    if not rows:
        raise UsageError(f"{path}: the roster lists no student")
    return rows


def _draw(spec: ExamSpec, catalog: Catalog, rng: random.Random) -> list[QuestionBase]:
    chosen: list[QuestionBase] = []
    taken: set[str] = set()
    for draw in spec.draws:
        if draw.bank is not None and draw.bank not in catalog.bank_ids:
            raise UsageError(
                f"{spec.path}:{draw.line}: no bank '{draw.bank}' in the course "
                f"(it has: {', '.join(catalog.bank_ids)})"
            )
        pool = [
            q
            for q in catalog.select(
                [draw.bank] if draw.bank else (), [draw.tag] if draw.tag else ()
            )
            if q.id not in taken and (not draw.difficulty or q.difficulty in draw.difficulty)
        ]
        if len(pool) < draw.count:
            raise UsageError(
                f"{spec.path}:{draw.line}: this draw asks for {draw.count} question(s) but only "
                f"{len(pool)} match (not counting those drawn above)"
            )
        picked = rng.sample(sorted(pool, key=lambda q: q.id), draw.count)
        chosen.extend(picked)
        taken.update(q.id for q in picked)
    return chosen


def _option_order(question: QuestionBase, rng: random.Random) -> list[int] | None:
    options = getattr(question, "options", None)
    if not options:
        return None
    order = list(range(len(options)))
    if isinstance(question, SingleQuestion | MultipleQuestion) and not question.shuffle:
        return order
    if isinstance(question, OrderQuestion):
        # Written in the right order: the order shown must never be the answer itself.
        while order == sorted(order):
            rng.shuffle(order)
        return order
    rng.shuffle(order)
    return order


def _text(value: Any) -> dict[str, str]:
    return {"zh": value.zh, "en": value.en}


def student_item(label: str, question: QuestionBase, order: list[int] | None) -> dict[str, Any]:
    """What a student file holds of one question (``student_file.STUDENT_KEYS``): no answer,
    explanation, tolerance, accepted answers, reference or hint that gives the answer away."""
    item: dict[str, Any] = {
        "item": label,
        "type": question.type,
        "prompt": _text(question.prompt),
        "points": question.points,
    }
    options = getattr(question, "options", None)
    if options and order is not None:
        if isinstance(question, CodeOutputQuestion):
            item["options"] = [options[i] for i in order]
        else:
            item["options"] = [_text(options[i]) for i in order]
    if isinstance(question, CodeOutputQuestion):
        item["code"] = question.code
    hints = [_text(h) for h in question.all_hints if not h.gives_away]
    if hints:
        item["hints"] = hints
    return item


def build_exam(
    spec: ExamSpec,
    catalog: Catalog,
    out: Path,
    roster: list[tuple[str, str]] | None,
    *,
    now: datetime | None = None,
) -> BuildResult:
    """Draw the exam and write ``out/<student>.exam`` per roster row (or ``out/class.exam``)
    and ``out/key.json``."""
    now = now or datetime.now(UTC)
    seed = spec.seed or secrets.token_hex(16)
    students = roster or [(SHARED_STUDENT, "")]
    out.mkdir(parents=True, exist_ok=True)
    shared = _draw(spec, catalog, _rng(seed, "questions")) if spec.same_questions else None
    labels: dict[str, str] = {}
    questions: dict[str, QuestionBase] = {}

    def label_of(question: QuestionBase) -> str:
        if question.id not in labels:
            labels[question.id] = f"Q{len(labels) + 1:02d}"
            questions[labels[question.id]] = question
        return labels[question.id]

    for question in shared or ():
        label_of(question)
    key_students: dict[str, Any] = {}
    files: list[Path] = []
    for sid, name in students:
        rng = _rng(seed, f"student:{sid}")
        drawn = list(shared) if shared is not None else _draw(spec, catalog, rng)
        rng.shuffle(drawn)
        items = []
        key_items = []
        for question in drawn:
            label = label_of(question)
            order = _option_order(question, rng)
            items.append(student_item(label, question, order))
            key_items.append({"item": label, "order": order})
        deadline = spec.deadline
        document = {
            "format": EXAM_FORMAT,
            "format_version": FORMAT_VERSION,
            "exam_id": spec.exam,
            "student": sid,
            "name": name,
            "title": _text(spec.title) if spec.title else None,
            "time_limit_s": spec.time_limit_s,
            "deadline": deadline.isoformat() if deadline else None,
            "items": items,
        }
        path = out / f"{sid}.exam"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        files.append(path)
        key_students[sid] = {"name": name, "file": path.name, "items": key_items}
    key = {
        "format": KEY_FORMAT,
        "format_version": FORMAT_VERSION,
        "exam_id": spec.exam,
        "seed": seed,
        "built_at": now.isoformat(),
        "spec": spec_summary(spec),
        "course": str(catalog.course.root) if catalog.course else None,
        "questions": {
            label: {
                "id": q.id,
                "bank": catalog.bank_of(q.id),
                "question": q.model_dump(mode="json", exclude_defaults=False),
            }
            for label, q in questions.items()
        },
        "students": key_students,
    }
    key_path = out / "key.json"
    key_path.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    return BuildResult(key_path=key_path, student_files=files, item_count=len(questions))
