"""Provides export and import of a learner's progress as one JSON document.

The document (``format_version`` 1)::

    {"format": "torch-grader-progress", "format_version": 1, "course": "<course key>",
     "exported_at": "<UTC ISO time>", "answers": [...], "reviews": [...], "cards": [...],
     "sessions": [...], "exercise_runs": [...], "exercise_starts": [...]}

Import merges: answers and reviews are keyed by their ``uid`` and sessions by ``id`` (present
rows are kept, so importing the same file twice adds nothing); a card replaces the stored one
only when it is newer.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from grader.study.exercise_progress import export_exercise_rows, import_exercise_rows
from grader.study.store import AnswerRecord, ProgressStore, ReviewRecord, SessionRow, StoredCard

__all__ = ["FORMAT", "FORMAT_VERSION", "export_progress", "import_progress"]

FORMAT = "torch-grader-progress"
FORMAT_VERSION = 1


def _dump(obj: Any) -> dict[str, Any]:
    data = asdict(obj)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = list(value)
    return data


def export_progress(store: ProgressStore, course_key: str, now: datetime) -> dict[str, Any]:
    """Everything in ``store`` as JSON data."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "course": course_key,
        "exported_at": now.isoformat(),
        "answers": [_dump(r) for r in store.answers()],
        "reviews": [_dump(r) for r in store.reviews()],
        "cards": [_dump(c) for c in store.cards().values()],
        "sessions": [_dump(s) for s in store.sessions()],
        **export_exercise_rows(store),
    }


def _load(cls: type[Any], row: Any, where: str) -> Any:
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected an object")
    names = {f.name: f for f in fields(cls)}
    unknown = set(row) - set(names)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    values = dict(row)
    try:
        for key in ("answered_at", "reviewed_at", "updated_at", "created_at"):
            if key in values:
                values[key] = datetime.fromisoformat(values[key])
        if "tags" in values:
            values["tags"] = tuple(values["tags"])
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None


def import_progress(store: ProgressStore, data: Any) -> dict[str, int]:
    """Merge an exported document into ``store``; returns the rows added per table.

    Raises:
        ValueError: ``data`` is not a progress export (the message says where it is wrong).
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'not a progress export (expected "format": "{FORMAT}")')
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(f"format_version {version!r} is not supported (expected {FORMAT_VERSION})")
    tables = (
        ("answers", AnswerRecord),
        ("reviews", ReviewRecord),
        ("cards", StoredCard),
        ("sessions", SessionRow),
    )
    loaded: dict[str, list[Any]] = {}
    for name, cls in tables:
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise ValueError(f"{name}: expected a list")
        loaded[name] = [_load(cls, row, f"{name}[{i}]") for i, row in enumerate(rows)]
    exercise_added = import_exercise_rows(store, data)  # validates all of its rows first
    added = store.import_rows(
        loaded["answers"], loaded["reviews"], loaded["cards"], loaded["sessions"]
    )
    added.update(exercise_added)
    return added
