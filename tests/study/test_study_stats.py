"""Statistics: first tries, accuracy per bank and tag, the daily streak, `grader stats`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from grader.cli.stats import stats
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.study.stats import streak_days


def test_streak_counts_consecutive_days() -> None:
    """Days in a row ending today, or yesterday while today has no answer yet."""
    today = date(2025, 1, 10)
    assert streak_days(["2025-01-10", "2025-01-09", "2025-01-08", "2025-01-06"], today) == 3
    assert streak_days(["2025-01-09", "2025-01-08"], today) == 2
    assert streak_days(["2025-01-07"], today) == 0
    assert streak_days([], today) == 0


def _practice(study: Study, answers: dict[str, object]) -> None:
    session = study.new_session("practice", count=9, seed=4)
    for index, item in enumerate(session.items):
        if item.question_id in answers:
            session.goto(index)
            session.answer(answers[item.question_id])


def test_stats_count_first_tries_by_bank_tag_and_day(study: Study, clock: FakeClock) -> None:
    """answered/correct count first tries; a retry does not add an answer."""
    _practice(study, {"fx-single": 0, "fx-fill": "nope", "fx-numeric": "12"})
    session = study.new_session("practice", banks=("fx-basics",), seed=1)
    session.goto([i.question_id for i in session.items].index("fx-fill"))
    session.answer("zero_grad")
    session.answer("zero_grad")  # a retry
    clock.advance(days=1)
    _practice(study, {"fx-true-false": True})
    data = study.stats().as_dict()
    assert (data["answered"], data["correct"]) == (5, 3)
    assert data["by_bank"]["fx-basics"]["answered"] == 4
    assert data["by_bank"]["fx-advanced"] == {
        "answered": 1,
        "correct": 1,
        "score": 1.0,
        "accuracy": 1.0,
    }
    assert data["by_tag"]["autograd"]["answered"] == 4
    assert data["by_tag"]["misconception"]["correct"] == 0
    assert list(data["by_day"]) == ["2025-01-06", "2025-01-07"]
    assert data["streak_days"] == 2


def test_stats_command_json_shape(study: Study, tmp_path: Path, course_dir: Path) -> None:
    """`grader stats --format json` has answered, correct, by_bank, by_tag and streak_days."""
    _practice(study, {"fx-single": 0})
    result = CliRunner().invoke(
        stats,
        ["--format", "json", "--course", str(course_dir), "--data-dir", str(tmp_path / "data")],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data["answered"], int) and data["answered"] == 1
    assert isinstance(data["correct"], int) and data["correct"] == 1
    assert data["by_bank"]["fx-basics"]["answered"] == 1
    assert data["by_tag"]["autograd"]["correct"] == 1
    assert isinstance(data["streak_days"], int)


def test_stats_command_text_is_bilingual(study: Study, tmp_path: Path, course_dir: Path) -> None:
    """The text format speaks the chosen language and lists the banks."""
    _practice(study, {"fx-single": 0})
    args = ["--course", str(course_dir), "--data-dir", str(tmp_path / "data")]
    zh = CliRunner().invoke(stats, [*args, "--lang", "zh"]).output
    en = CliRunner().invoke(stats, [*args, "--lang", "en"]).output
    assert "学习统计" in zh and "fx-basics" in zh
    assert "Statistics" in en and "1 answered" in en


def test_stats_of_a_new_learner_create_nothing(tmp_path: Path, course_dir: Path) -> None:
    """Asking for stats before any answer prints zeros and writes no file."""
    result = CliRunner().invoke(
        stats, ["--format", "json", "--course", str(course_dir), "--data-dir", str(tmp_path)]
    )
    assert json.loads(result.output)["answered"] == 0
    assert list(tmp_path.iterdir()) == []


def test_a_one_day_streak_is_singular(study: Study, tmp_path: Path, course_dir: Path) -> None:
    """ "streak: 1 day", never "1 days"; other counts stay plural."""
    from grader.cli.stats import render_text

    _practice(study, {"fx-single": 0})
    args = ["--format", "json", "--course", str(course_dir), "--data-dir", str(tmp_path / "data")]
    data = json.loads(CliRunner().invoke(stats, args).output)
    for days, line in ((1, "streak: 1 day\n"), (2, "streak: 2 days\n"), (0, "streak: 0 days\n")):
        text = render_text({**data, "streak_days": days}, "en") + "\n"
        assert line in text, text
    assert "连续学习 1 天" in render_text({**data, "streak_days": 1}, "zh")


def test_retired_questions_are_not_due(tmp_path: Path, clock: FakeClock) -> None:
    """A question retired from the course (gone from its bank) can never come up again, so
    `grader stats` (a subprocess) and the app's statistics do not count its card as due; its
    answers still count as history."""
    import shutil

    from cli_support import run_grader

    from grader.course import resolve_course

    course_dir = tmp_path / "course"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "quiz", course_dir)
    data = tmp_path / "data"
    study = Study.open(resolve_course(course_dir), data, clock=clock, enable_fuzzing=False)
    _practice(study, {"fx-single": 0, "fx-fill": "zero_grad"})
    study.close()
    bank = course_dir / "questions" / "fx-basics.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text[: text.index("  - id: fx-fill")], encoding="utf-8")  # retire it

    def stats_json() -> dict:
        args = ("stats", "--format", "json", "--course", str(course_dir), "--data-dir", str(data))
        done = run_grader(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    counted = stats_json()  # the system clock is years after the fake one: every card is due
    assert (counted["due"], counted["answered"]) == (1, 2)
    reopened = Study.open(resolve_course(course_dir), data, clock=clock, enable_fuzzing=False)
    try:
        clock.advance(days=3650)
        assert reopened.stats().due == 1
    finally:
        reopened.close()
