"""A question retired from a bank (deleted; its id stays in ids.txt) while a learner's progress
still refers to it: answers, an FSRS card, an unfinished exam. Opening the course again must work,
keep the history, and leave the retired question out of every new session."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import run_grader

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study

QUIZ_COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"
RETIRED = "fx-numeric"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A copy of the fixture course, whose banks the test may edit."""
    copy = tmp_path / "course"
    shutil.copytree(QUIZ_COURSE, copy)
    return copy


def _retire(course_dir: Path, qid: str) -> None:
    """Delete question ``qid`` from its bank file, as an author retiring it does."""
    for bank in (course_dir / "questions").glob("*.yaml"):
        text = bank.read_text(encoding="utf-8")
        pattern = re.compile(rf"^  - id: {re.escape(qid)}\n.*?(?=^  - id: |\Z)", re.M | re.S)
        if pattern.search(text):
            bank.write_text(pattern.sub("", text, count=1), encoding="utf-8")
            return
    raise AssertionError(f"{qid} is in no bank of {course_dir}")


def _open(course_dir: Path, data: Path, clock: FakeClock) -> Study:
    return Study.open(resolve_course(course_dir), data, clock=clock, enable_fuzzing=False)


def _answer(study: Study, qid: str) -> None:
    session = study.new_session("practice", ids=(qid,), seed=1)
    session.answer(12)


def test_history_of_a_retired_question_is_kept_and_it_is_never_served(
    course_dir: Path, tmp_path: Path
) -> None:
    """Answers and the card of a retired question stay in the statistics; review, practice and
    the mastery counts only see the questions still in the course."""
    clock = FakeClock()
    study = _open(course_dir, tmp_path / "data", clock)
    _answer(study, RETIRED)
    assert RETIRED in study.store.cards()
    study.close()

    _retire(course_dir, RETIRED)
    clock.advance(30 * 86400)  # the card is due by now
    study = _open(course_dir, tmp_path / "data", clock)
    assert RETIRED not in study.catalog.questions
    assert study.stats().total.answered == 1
    assert study.mastery().total == len(study.catalog.questions)
    review = study.new_session("review", count=50)
    practice = study.new_session("practice", count=50, seed=3)
    served = {i.question_id for i in review.items} | {i.question_id for i in practice.items}
    assert RETIRED not in served and served
    study.close()


def test_unfinished_exam_resumes_without_the_retired_question(
    course_dir: Path, tmp_path: Path
) -> None:
    """An exam stored with a question that was retired since resumes with the others."""
    clock = FakeClock()
    study = _open(course_dir, tmp_path / "data", clock)
    study.new_session("exam", ids=(RETIRED, "fx-single"), seed=1)
    study.close()

    _retire(course_dir, RETIRED)
    study = _open(course_dir, tmp_path / "data", clock)
    resumed = study.active_exam()
    assert resumed is not None
    assert [i.question_id for i in resumed.items] == ["fx-single"]
    study.close()


def test_exam_of_retired_questions_only_does_not_block_a_new_exam(
    course_dir: Path, tmp_path: Path
) -> None:
    """An unfinished exam none of whose questions is left is closed, not resumed, and a new
    exam can start (before, starting one raised 'none of the session's questions is in the
    course any more' on every try)."""
    clock = FakeClock()
    study = _open(course_dir, tmp_path / "data", clock)
    study.new_session("exam", ids=(RETIRED,), seed=1)
    study.close()

    _retire(course_dir, RETIRED)
    study = _open(course_dir, tmp_path / "data", clock)
    assert study.active_exam() is None
    exam = study.new_session("exam", ids=("fx-single",), seed=1)
    assert study.active_exam() is not None and study.active_exam().id == exam.id  # type: ignore[union-attr]
    study.close()


def test_stats_command_with_a_retired_question(course_dir: Path, tmp_path: Path) -> None:
    """`grader stats` (as a learner runs it) reports history that includes a retired question."""
    clock = FakeClock()
    study = _open(course_dir, tmp_path / "data", clock)
    _answer(study, RETIRED)
    study.close()
    _retire(course_dir, RETIRED)
    grader = Path(sys.executable).with_name("grader")
    done = subprocess.run(
        [
            *(str(grader), "stats", "--format", "json", "--course", str(course_dir)),
            *("--data-dir", str(tmp_path / "data")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["answered"] == 1 and data["by_bank"] == {
        "fx-advanced": data["by_bank"]["fx-advanced"]
    }


def test_stats_counts_no_retired_question_as_due(course_dir: Path, tmp_path: Path) -> None:
    """`grader stats` (the installed command, as a learner runs it) counts as due and mastered
    only the questions still in the course: a retired question's card, due long ago, is a review
    the learner could never clear. Its answers stay in the history."""
    clock = FakeClock()  # January 2025: both cards are long due by the real clock stats uses
    study = _open(course_dir, tmp_path / "data", clock)
    _answer(study, RETIRED)
    study.new_session("practice", ids=("fx-single",), seed=1).answer(0)
    assert set(study.store.cards()) == {RETIRED, "fx-single"}
    study.close()
    _retire(course_dir, RETIRED)

    args = ("--course", str(course_dir), "--data-dir", str(tmp_path / "data"))
    done = run_grader("stats", "--format", "json", *args, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    data = json.loads(done.stdout)
    assert (data["answered"], data["due"], data["mastered"]) == (2, 1, 0)
    text = run_grader("stats", "--lang", "en", *args, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "1 due" in text.stdout, text.stdout

    study = _open(course_dir, tmp_path / "data", FakeClock(clock.now() + timedelta(days=400)))
    assert study.stats().due == 1 and study.mastery().due == 1
    review = study.new_session("review", count=50)
    assert [i.question_id for i in review.items][:1] == ["fx-single"]
    assert RETIRED not in {i.question_id for i in review.items}
    study.close()
