"""Hint counts in the progress store: a store made by the schema before them (the file
tests/data/progress-schema-v1.sql, as torch-grader wrote it) opens, keeps every row and gains the
counts; they travel through `grader progress export/import` and show in `grader stats`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cli_support import run_grader

from grader.course import resolve_course
from grader.study.paths import course_store_path
from grader.study.stats import hint_stats
from grader.study.store import AnswerRecord, ProgressStore

DATA = Path(__file__).resolve().parents[1] / "data"
MINI_COURSE = DATA / "course-mini"
WHEN = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
OLD = AnswerRecord(
    "old", "q1", "b", ("t",), "single", "practice", None, 1, 0, 1.0, "h", WHEN, "2025-01-06", "en"
)


def _old_store(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.executescript((DATA / "progress-schema-v1.sql").read_text())
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ("old", "q1", "b", '["t"]', "single", "practice", None, 1, "0", 1.0, "h", 0,
         WHEN.isoformat(), "2025-01-06", "en"),
    )  # fmt: skip
    db.commit()
    db.close()


def test_an_old_store_opens_keeps_its_answers_and_gains_hint_counts(tmp_path: Path) -> None:
    path = tmp_path / "data" / "progress.sqlite3"
    _old_store(path)
    with ProgressStore(path) as store:
        assert store.answers() == [OLD]  # the old answer, no hints
        store.record_answer(replace(OLD, uid="new", question_id="q2", hints=2))
    with ProgressStore(path) as store:
        assert [(a.uid, a.hints) for a in store.answers()] == [("old", 0), ("new", 2)]
        assert hint_stats(store) == {
            "question_hints": 2,
            "answers_with_hints": 1,
            "exercise_hints": 0,
        }
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(answers)")]
    db.close()
    assert "hints" not in columns  # answers keeps its columns: an older grader still writes it


def test_hint_counts_travel_through_export_and_import(tmp_path: Path) -> None:
    course = resolve_course(MINI_COURSE)
    source = tmp_path / "a"
    with ProgressStore(course_store_path(course.key, source)) as store:
        store.record_answer(replace(OLD, hints=3))
    args = ("--course", str(MINI_COURSE))
    out = tmp_path / "export.json"
    done = run_grader(
        "progress", "export", str(out), *args, "--data-dir", str(source), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    exported = json.loads(out.read_text())
    assert exported["answers"][0]["hints"] == 3
    target = tmp_path / "b"
    done = run_grader(
        "progress", "import", str(out), *args, "--data-dir", str(target), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    shown = run_grader("stats", "--format", "json", *args, "--data-dir", str(target), cwd=tmp_path)
    assert json.loads(shown.stdout)["hints"]["question_hints"] == 3
    text = run_grader("stats", "--lang", "en", *args, "--data-dir", str(target), cwd=tmp_path)
    assert "Hints used: 3 on 1 questions, 0 in code exercises" in text.stdout
    # an export made before hint counts (no "hints" field) still imports, with none
    del exported["answers"][0]["hints"]
    exported["answers"][0]["uid"] = "older"
    out.write_text(json.dumps(exported))
    done = run_grader(
        "progress", "import", str(out), *args, "--data-dir", str(target), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    with ProgressStore(course_store_path(course.key, target)) as store:
        assert sorted((a.uid, a.hints) for a in store.answers()) == [("old", 3), ("older", 0)]
