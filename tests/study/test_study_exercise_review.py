"""Spaced review of code exercises without the app: the first acceptance schedules the exercise,
the review starts afresh from the starter with the accepted code kept, and the first complete
submission of a review is rated by its score and the hints used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fsrs import Rating

from grader.course import resolve_course
from grader.runner.result import CheckResult, ExerciseResult, Provenance, Reason
from grader.study.clock import FakeClock
from grader.study.exercise_progress import export_exercise_rows, import_exercise_rows
from grader.study.exercise_review import reviews, submission_rating
from grader.study.exercise_study import ExerciseStudy
from grader.study.stats import due_forecast
from grader.study.store import ProgressStore

MINI_COURSE = Path(__file__).resolve().parents[1] / "data" / "course-mini"
P, F, S = Reason.PASSED, Reason.FAILED, Reason.SKIPPED
MINE = "def add_one(x):\n    return x + 1  # mine\n"


def _result(kind: str, reasons: list[Reason]) -> ExerciseResult:
    tests = tuple(
        CheckResult(f"test_{i}", 1.0, 1.0 if r is P else 0.0, r) for i, r in enumerate(reasons)
    )
    provenance = Provenance("0", "e", "c", "s", "2", "2", "3.11", "cpu", ())
    return ExerciseResult("add-one", kind, tests, 0.1, provenance)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def study(tmp_path: Path, clock: FakeClock) -> ExerciseStudy:
    store = ProgressStore(tmp_path / "progress.sqlite3")
    return ExerciseStudy.open(
        resolve_course(MINI_COURSE), store, workspace=tmp_path / "ws", clock=clock
    )


def _accept(study: ExerciseStudy, hints: int = 0) -> None:
    exercise = study.exercise("add-one")
    study.open_code(exercise)
    study.save_code(exercise, MINE)
    study.record(_result("hidden", [F, P]), hints=hints)
    assert reviews(study.store) == []  # a failed submission before acceptance rates nothing
    study.record(_result("hidden", [P, P]), hints=hints)


def test_rating_rule() -> None:
    assert submission_rating(True, 0) == Rating.Good
    assert submission_rating(True, 2) == Rating.Hard
    assert submission_rating(False, 0) == Rating.Again
    assert submission_rating(False, 3) == Rating.Again


def test_review_comes_back_fresh_and_keeps_the_accepted_code(
    study: ExerciseStudy, clock: FakeClock, tmp_path: Path
) -> None:
    exercise = study.exercise("add-one")
    starter = exercise.starter.read_text()
    _accept(study)
    assert study.due() == []
    assert (tmp_path / "ws" / "accepted" / "add-one.py").read_text() == MINE
    assert study.open_code(exercise) == MINE  # not due: the learner's file as it was
    study.save_code(exercise, MINE + "# tinkering after acceptance\n")
    clock.advance(days=60)
    assert study.due() == ["add-one"]
    assert study.open_code(exercise) == starter  # the review starts from the starter
    assert study.in_review(exercise)
    assert study.accepted_code(exercise) == MINE
    # a second open (a restart) keeps the review's file, it does not reset again
    study.save_code(exercise, "def add_one(x):\n    return x\n")
    assert study.open_code(exercise) == "def add_one(x):\n    return x\n"
    study.hint_shown(exercise)
    study.record(_result("public", [P, P]))  # public checks do not rate
    study.record(_result("hidden", [S, S]))  # skipped checks do not rate
    assert study.in_review(exercise)
    study.record(_result("hidden", [P, P]))
    assert not study.in_review(exercise)
    rated = [(r.rating, r.hints, r.first) for r in reviews(study.store)]
    assert rated == [(int(Rating.Good), 0, True), (int(Rating.Hard), 1, False)]
    assert study.accepted_code(exercise) == MINE  # never overwritten
    assert study.state("add-one").status == "accepted"


def test_a_failed_review_is_again_and_soon_due(study: ExerciseStudy, clock: FakeClock) -> None:
    exercise = study.exercise("add-one")
    _accept(study, hints=1)
    assert reviews(study.store)[0].rating == int(Rating.Hard)  # accepted after a hint
    clock.advance(days=60)
    study.open_code(exercise)
    study.record(_result("hidden", [P, F]))
    assert reviews(study.store)[-1].rating == int(Rating.Again)
    assert study.state("add-one").status == "accepted"  # a review never takes that away
    clock.advance(days=1)
    assert study.due() == ["add-one"]


def test_forecast_and_transfer(study: ExerciseStudy, clock: FakeClock, tmp_path: Path) -> None:
    _accept(study)
    forecast = due_forecast(study.store, clock)
    assert len(forecast) == 14 and forecast[0]["day"] == clock.today().isoformat()
    assert sum(r["exercises"] for r in forecast) == 1  # a first Good is due within 14 days
    clock.advance(days=60)
    study.open_code(study.exercise("add-one"))
    study.hint_shown(study.exercise("add-one"))
    assert due_forecast(study.store, clock)[0]["exercises"] == 1  # overdue counts today
    exported = json.loads(json.dumps(export_exercise_rows(study.store)))
    assert exported["exercise_review_open"][0]["hints"] == 1
    with ProgressStore(tmp_path / "other.sqlite3") as other:
        added = import_exercise_rows(other, exported)
        assert (added["exercise_cards"], added["exercise_reviews"]) == (1, 1)
        assert added["exercise_review_open"] == 1
        assert export_exercise_rows(other) == exported
        assert import_exercise_rows(other, exported)["exercise_reviews"] == 0  # idempotent
        broken = {**exported, "exercise_reviews": [{"uid": "x"}]}
        with pytest.raises(ValueError, match=r"exercise_reviews\[0\]"):
            import_exercise_rows(other, broken)


def test_an_old_store_gains_the_review_tables(tmp_path: Path, clock: FakeClock) -> None:
    """A store made before spaced review of exercises (only the current tables, with an accepted
    run) opens, keeps its data, and schedules the exercise at its next acceptance."""
    path = tmp_path / "old.sqlite3"
    with ProgressStore(path) as old:
        from grader.study.exercise_progress import record_result

        record_result(old, _result("hidden", [P, P]), clock.now(), clock.today())
        tables = {r[0] for r in old._db.execute("SELECT name FROM sqlite_master")}
    assert "exercise_cards" not in tables
    store = ProgressStore(path)
    study = ExerciseStudy.open(
        resolve_course(MINI_COURSE), store, workspace=tmp_path / "ws", clock=clock
    )
    assert study.state("add-one").status == "accepted"
    assert study.due() == []
    study.record(_result("hidden", [P, P]))
    assert [r.first for r in reviews(store)] == [True]


def test_run_hints_are_stored_and_transferred(study: ExerciseStudy, tmp_path: Path) -> None:
    """The hints shown before a run are stored with it and exported; an export made before
    hint counts (runs without "hints") still imports, with none."""
    from grader.study.exercise_progress import runs

    study.record(_result("public", [F, P]), hints=2)
    study.record(_result("public", [P, P]))
    assert [r.hints for r in runs(study.store)] == [2, 0]
    exported = json.loads(json.dumps(export_exercise_rows(study.store)))
    assert [r["hints"] for r in exported["exercise_runs"]] == [2, 0]
    for row in exported["exercise_runs"]:
        del row["hints"]
    with ProgressStore(tmp_path / "other.sqlite3") as other:
        assert import_exercise_rows(other, exported)["exercise_runs"] == 2
        assert [r.hints for r in runs(other)] == [0, 0]
