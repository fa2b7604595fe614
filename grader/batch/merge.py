"""Merging the outputs of several batches (CI shards) into one gradebook.

Each input is a batch's OUT folder: its ``gradebook.csv`` gives the rows, ``<student>/<exercise>
.json`` the result documents. The merged folder gets the same files a single batch writes
(gradebook, result JSONs, summary, JUnit), made by the same code, so statuses and the rule for
means are the batch's own (:mod:`grader.batch.status`).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from grader.batch.gradebook import (
    COLUMNS,
    Row,
    result_path,
    write_gradebook,
    write_junit,
    write_result,
    write_summary,
)
from grader.batch.status import NO_SCORE, STATUSES
from grader.errors import UsageError
from grader.i18n import Lang


def _number(value: str, where: str) -> float | None:
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"{where}: {value!r} is not a number") from None


def read_rows(folder: Path) -> list[Row]:
    """The rows of one batch output folder, with their result documents."""
    path = folder / "gradebook.csv"
    if not path.is_file():
        raise UsageError(f"{folder}: no gradebook.csv (is it the OUT folder of `grader batch`?)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise UsageError(f"{path}:1: the header must be {','.join(COLUMNS)}")
    rows = []
    for line, record in enumerate(reader, start=2):
        where = f"{path}:{line}"
        status = record["status"]
        if status not in STATUSES:
            raise UsageError(f"{where}: unknown status {status!r}")
        score = _number(record["score"], where)
        if (score is None) != (status in NO_SCORE):
            raise UsageError(f"{where}: status {status} with score {record['score']!r}")
        doc: dict[str, Any] | None = None
        result = result_path(folder, record["student"], record["exercise"])
        if result.is_file():
            try:
                doc = json.loads(result.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UsageError(f"{result}: not a result document: {exc}") from None
        rows.append(
            Row(
                student=record["student"],
                exercise=record["exercise"],
                score=score,
                max_score=_number(record["max_score"], where),
                status=status,
                result=doc,
            )
        )
    return rows


def roster_students(path: Path) -> list[str]:
    """The ``student`` column of a roster CSV (the CI template's students.csv)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--roster {path}: cannot be read: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    if "student" not in (reader.fieldnames or ()):
        raise UsageError(f"{path}:1: a roster needs a 'student' column")
    return [(row.get("student") or "").strip() for row in reader if (row.get("student") or "")]


def merge_outputs(
    folders: list[Path],
    out: Path,
    *,
    lang: Lang = "en",
    roster: list[str] | None = None,
    exercise: str | None = None,
) -> list[Row]:
    """Merge batch output ``folders`` into ``out``; a student graded twice for one exercise (in
    two shards) is an error, since neither grade can be chosen silently.

    With ``roster`` (and the ``exercise`` graded), a student of the roster that no folder has (a
    shard that failed before it uploaded anything) gets a ``grader-error`` row: never lost,
    never a 0.
    """
    if not folders:
        raise UsageError("give at least one batch output folder to merge")
    seen: dict[tuple[str, str], Path] = {}
    rows: list[Row] = []
    for folder in folders:
        if folder.resolve() == out.resolve():
            raise UsageError(f"{out} is both an input and the output")
        for row in read_rows(folder):
            key = (row.student, row.exercise)
            if key in seen:
                raise UsageError(
                    f"{row.student} / {row.exercise} is in both {seen[key]} and {folder}"
                )
            seen[key] = folder
            rows.append(row)
    if roster is not None:
        if not exercise:
            raise UsageError("--roster needs --exercise: the exercise the roster was graded for")
        top = next((r.max_score for r in rows if r.exercise == exercise and r.max_score), None)
        for student in roster:
            if (student, exercise) not in seen:
                rows.append(Row(student, exercise, None, top, "grader-error", None))
    out.mkdir(parents=True, exist_ok=True)
    for row in rows:
        write_result(out, row)
    write_gradebook(out, rows)
    write_junit(out, rows, lang)
    write_summary(out, rows)
    return rows
