"""Exercise progress without the app: the status each run leads to, the workspace files, and
what `grader stats` and `grader progress reset` do with exercise results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from exercise_pilot import MINI_COURSE

from grader.course import resolve_course
from grader.exercises.loader import find_exercise
from grader.runner.result import CheckResult, ExerciseResult, Provenance, Reason
from grader.study.clock import FakeClock
from grader.study.exercise_progress import exercise_states, mark_started, record_result, runs
from grader.study.exercise_study import ExerciseStudy
from grader.study.paths import course_store_path
from grader.study.store import ProgressStore


def _result(kind: str, reasons: list[Reason], exercise: str = "add-one") -> ExerciseResult:
    """A graded run with one 1-point check per reason."""
    tests = tuple(
        CheckResult(f"test_{i}", 1.0, 1.0 if r is Reason.PASSED else 0.0, r)
        for i, r in enumerate(reasons)
    )
    provenance = Provenance("0", "e", "c", "s", "2", "2", "3.11", "cpu", ())
    return ExerciseResult(exercise, kind, tests, 0.1, provenance)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "progress.sqlite3")


def test_status_ladder(store: ProgressStore) -> None:
    """Nothing: not started; a failed run: in progress; passing public checks: public_pass;
    full marks on submission: accepted, which a later worse run does not take away."""
    clock = FakeClock()
    P, F = Reason.PASSED, Reason.FAILED

    def status() -> str:
        return exercise_states(store, ["add-one"])["add-one"].status

    assert status() == "not_started"
    record_result(store, _result("public", [F]), clock.now(), clock.today())
    assert status() == "in_progress"
    record_result(store, _result("public", [P]), clock.now(), clock.today())
    assert status() == "public_pass"
    record_result(store, _result("hidden", [P, F]), clock.now(), clock.today())
    assert status() == "public_pass"
    record_result(store, _result("hidden", [P, P]), clock.now(), clock.today())
    record_result(store, _result("hidden", [F, F]), clock.now(), clock.today())
    state = exercise_states(store, ["add-one"])["add-one"]
    assert (state.status, state.best_score, state.max_score) == ("accepted", 2.0, 2.0)
    assert (state.submissions, state.check_runs) == (3, 2)


def test_skipped_run_does_not_score(store: ProgressStore) -> None:
    """A run whose checks were skipped (no GPU) is stored but gives no best score."""
    clock = FakeClock()
    record_result(store, _result("hidden", [Reason.SKIPPED]), clock.now(), clock.today())
    state = exercise_states(store, ["add-one"])["add-one"]
    assert (state.status, state.best_score, state.submissions) == ("in_progress", None, 1)


def test_workspace_starts_from_the_starter(store: ProgressStore, tmp_path: Path) -> None:
    """Opening copies the starter; saving different code marks the exercise started; a reset
    brings the starter back and keeps the runs."""
    exercises = ExerciseStudy.open(
        resolve_course(MINI_COURSE), store, workspace=tmp_path / "ws", clock=FakeClock()
    )
    exercise = exercises.exercise("add-one")
    starter = exercise.starter.read_text()
    assert exercises.open_code(exercise) == starter
    assert exercises.state("add-one").status == "not_started"
    exercises.save_code(exercise, starter)
    assert exercises.state("add-one").status == "not_started"
    exercises.save_code(exercise, "def add_one(x):\n    return x + 1\n")
    assert exercises.state("add-one").status == "in_progress"
    assert (tmp_path / "ws" / "add-one.py").read_text() == "def add_one(x):\n    return x + 1\n"
    assert exercises.reset_code(exercise) == starter
    assert (tmp_path / "ws" / "add-one.py").read_text() == starter
    assert exercises.state("add-one").status == "in_progress"


def test_stats_and_reset_include_exercises(tmp_path: Path) -> None:
    """`grader stats --format json` has an "exercises" part; `grader progress reset` clears it."""
    from grader.cli.progress import progress
    from grader.cli.stats import stats

    course = resolve_course(MINI_COURSE)
    data_dir = tmp_path / "data"
    store = ProgressStore(course_store_path(course.key, data_dir))
    clock = FakeClock()
    record_result(store, _result("hidden", [Reason.PASSED] * 4), clock.now(), clock.today())
    store.close()
    args = ["--course", str(MINI_COURSE), "--data-dir", str(data_dir)]
    runner = CliRunner()
    shown = runner.invoke(stats, ["--format", "json", *args])
    assert shown.exit_code == 0, shown.output
    part = json.loads(shown.output)["exercises"]
    assert (part["accepted"], part["started"], part["submissions"]) == (1, 1, 1)
    assert part["by_exercise"]["add-one"]["best_score"] == 4.0
    text = runner.invoke(stats, ["--lang", "en", *args])
    assert "Code exercises: 1 accepted, 1 started, 1 submissions" in text.output
    assert runner.invoke(progress, ["reset", "--yes", *args]).exit_code == 0
    with ProgressStore(course_store_path(course.key, data_dir)) as reopened:
        assert runs(reopened) == []


def test_unknown_exercise_id(store: ProgressStore, tmp_path: Path) -> None:
    """Asking for an exercise the course lacks is a usage error naming it."""
    from grader.errors import UsageError

    exercises = ExerciseStudy.open(resolve_course(MINI_COURSE), store, workspace=tmp_path)
    assert exercises.exercise("add-one") == find_exercise(
        "add-one", MINI_COURSE / "exercises", MINI_COURSE / "solutions"
    )
    with pytest.raises(UsageError, match="unknown exercise 'add-two'"):
        exercises.exercise("add-two")


def test_quiz_command_takes_a_workspace(tmp_path: Path) -> None:
    """`grader quiz --workspace DIR` is documented, and the app's exercises keep files there."""
    from grader.cli.quiz import _open_exercises, quiz
    from grader.study.context import Study

    shown = CliRunner().invoke(quiz, ["--help"])
    assert "--workspace DIR" in shown.output
    course = resolve_course(MINI_COURSE)
    study = Study.open(resolve_course(MINI_COURSE.parent / "quiz"), tmp_path / "data")
    try:
        exercises = _open_exercises(course, study, tmp_path / "ws", None)
        assert [e.id for e in exercises.exercises] == ["add-one", "needs-gpu"]
        exercises.open_code(exercises.exercise("add-one"))
        assert (tmp_path / "ws" / "add-one.py").is_file()
    finally:
        study.close()


def test_progress_export_import_carries_exercises(tmp_path: Path) -> None:
    """`grader progress export` includes exercise runs and starts; importing them elsewhere
    gives the same statuses, and importing twice adds nothing."""
    from grader.study.transfer import export_progress, import_progress

    clock = FakeClock()
    with ProgressStore(tmp_path / "a.sqlite3") as source:
        record_result(source, _result("hidden", [Reason.PASSED]), clock.now(), clock.today())
        mark_started(source, "needs-gpu", clock.now())
        data = json.loads(json.dumps(export_progress(source, "k", clock.now())))
    with ProgressStore(tmp_path / "b.sqlite3") as target:
        added = import_progress(target, data)
        assert (added["exercise_runs"], added["exercise_starts"]) == (1, 1)
        again = import_progress(target, data)
        assert (again["exercise_runs"], again["exercise_starts"]) == (0, 0)
        states = exercise_states(target)
        assert {i: s.status for i, s in states.items()} == {
            "add-one": "accepted",
            "needs-gpu": "in_progress",
        }
        data["exercise_runs"][0]["kind"] = None
        del data["exercise_runs"][0]["device"]
        with pytest.raises(ValueError, match=r"exercise_runs\[0\]: expected an object"):
            import_progress(target, data)


def test_exercise_screens_do_not_import_torch() -> None:
    """The exercise screens and everything the app calls to grade (the runner's client API)
    leave torch out of the app's process: only the warm worker imports it."""
    import subprocess
    import sys

    code = (
        "import grader.tui.screens.exercise, grader.tui.screens.exercise_list, "
        "grader.tui.grading_job, grader.runner.api, grader.runner.client, sys; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'torch'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
