"""`grader stats` as a learner runs it (a subprocess, output piped, 80 columns): the accuracy
chart by day, the 14-day chart of reviews due (questions and exercises), the exercise review
counts with the hints used, in both languages and in JSON."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli_support import run_grader
from fsrs import Card

from grader.course import resolve_course
from grader.study.exercise_review import rate
from grader.study.paths import course_store_path
from grader.study.store import AnswerRecord, ProgressStore, StoredCard

MINI_COURSE = Path(__file__).resolve().parents[1] / "data" / "course-mini"


def _answer(uid: str, score: float, day: str, when: datetime) -> AnswerRecord:
    return AnswerRecord(
        uid, "q1", "b", ("t",), "single", "practice", None, 1, 0, score, "h", when, day, "en"
    )


_QUESTION = """  - id: {qid}
    type: true_false
    difficulty: 1
    tags: [t]
    prompt: {{zh: 对吗？, en: Right?}}
    answer: true
    explanation: {{zh: 对。, en: Yes.}}
"""


def _course(tmp_path: Path) -> Path:
    """The mini course's exercises beside a bank holding q1, q2 and q3: only questions the
    course has count as due (a retired one never comes up again)."""
    course = tmp_path / "course"
    if not course.exists():
        shutil.copytree(MINI_COURSE, course)
        (course / "questions").mkdir()
        bank = "bank: b\ntitle: {zh: 题库, en: Bank}\nquestions:\n"
        bank += "".join(_QUESTION.format(qid=qid) for qid in ("q1", "q2", "q3"))
        (course / "questions" / "b.yaml").write_text(bank, encoding="utf-8")
    return course


def _store(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    today = datetime.now().astimezone().date()
    path = course_store_path(resolve_course(_course(tmp_path)).key, tmp_path / "data")
    with ProgressStore(path) as store:
        for i, score in enumerate((1.0, 1.0, 0.0, 1.0)):  # today: 3 of 4 right
            store.record_answer(_answer(f"a{i}", score, today.isoformat(), now))
        yesterday = (today - timedelta(days=1)).isoformat()
        store.record_answer(_answer("b0", 0.0, yesterday, now - timedelta(days=1)))
        for qid, days in (("q1", 3), ("q2", 3), ("q3", -2)):
            card = Card(card_id=len(qid) + days + 10, due=now + timedelta(days=days))
            store.save_review(StoredCard(qid, dict(card.to_dict()), "h", now), None)
        # an exercise accepted long ago (due now), its review failed once with 2 hints
        long_ago = now - timedelta(days=90)
        rate(
            store,
            "add-one",
            full_marks=True,
            score=4,
            max_score=4,
            hints=0,
            now=long_ago,
            day=long_ago.date(),
        )
        rate(
            store,
            "add-one",
            full_marks=True,
            score=4,
            max_score=4,
            hints=2,
            now=long_ago + timedelta(days=1),
            day=long_ago.date(),
        )


def _stats(tmp_path: Path, *args: str) -> str:
    done = run_grader(
        "stats",
        "--course",
        str(_course(tmp_path)),
        "--data-dir",
        str(tmp_path / "data"),
        *args,
        cwd=tmp_path,
        env={"COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_stats_draws_both_charts_at_80_columns(tmp_path: Path) -> None:
    _store(tmp_path)
    text = _stats(tmp_path, "--lang", "en")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    today = datetime.now().astimezone().date()
    assert "Accuracy by day, last 14 days (answers in brackets)" in text
    [today_row] = [
        line for line in lines if line.startswith(today.strftime("%m-%d")) and "%" in line
    ]
    assert today_row.endswith(" 75% (4)")
    assert today_row.count("█") == 38 and today_row.count("░") == 12  # 75 % of 50 cells
    yesterday = (today - timedelta(days=1)).strftime("%m-%d")
    assert f"{yesterday} {'░' * 50}   0% (1)" in lines
    assert f"{(today - timedelta(days=5)).strftime('%m-%d')} ·" in lines
    due_at = lines.index("Reviews due in the next 14 days (█ questions, ▒ exercises)")
    due = lines[due_at + 1 : due_at + 15]
    assert len(due) == 14
    # today: the overdue question and the due exercise; in 3 days: two questions
    assert due[0].startswith(today.strftime("%m-%d")) and due[0].endswith("   1 + 1")
    assert "█" in due[0] and "▒" in due[0]
    assert due[3].endswith("   2 + 0") and due[3].count("█") == 50
    assert due[1].endswith("   0 + 0")
    assert "Exercise reviews: 1 due now, 1 scheduled, 1 done (2 hints used)" in text


def test_stats_charts_in_chinese_and_json(tmp_path: Path) -> None:
    _store(tmp_path)
    text = _stats(tmp_path, "--lang", "zh")
    assert "近 14 天每日正确率" in text and "未来 14 天到期的复习" in text
    assert "练习复习：现在到期 1 道，已排期 1 道，已复习 1 次（用了 2 个提示）" in text
    top = run_grader(
        "--lang",
        "zh",
        "stats",
        "--course",
        str(_course(tmp_path)),
        "--data-dir",
        str(tmp_path / "data"),
        cwd=tmp_path,
    )
    assert "未来 14 天到期的复习" in top.stdout, top.stderr
    data = json.loads(_stats(tmp_path, "--format", "json"))
    assert [(d["questions"], d["exercises"]) for d in data["due_forecast"][:4]] == [
        (1, 1),
        (0, 0),
        (0, 0),
        (2, 0),
    ]
    part = data["exercises"]
    assert (part["due"], part["scheduled"], part["reviews"], part["review_hints"]) == (1, 1, 1, 2)


def test_stats_without_history_says_none(tmp_path: Path) -> None:
    text = _stats(tmp_path, "--lang", "en")
    assert "Reviews due in the next 14 days" in text
    assert "(none)" in text
