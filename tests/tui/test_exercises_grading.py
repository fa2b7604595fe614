"""Run checks and Submit from the exercise screen, through the sandboxed grader's warm worker:
scores and messages shown per check, what the progress store records, the cursor moved to a
policy violation, cancelling a hanging job, watch mode, and results in both languages."""

from __future__ import annotations

import os
from pathlib import Path

from exercise_pilot import (
    MINI_COURSE,
    SIZE,
    SUBMISSIONS,
    make_exercise_app,
    open_exercise,
    paste_code,
    replace_code,
    results_text,
    screen_text,
    wait_for,
    wait_idle,
)
from quiz_pilot import pilot_test

from grader.study.clock import FakeClock
from grader.study.exercise_progress import runs
from grader.tui.screens.exercise_list import ExerciseListScreen
from grader.tui.screens.solution import SolutionScreen

SOLUTION = (MINI_COURSE / "solutions" / "add-one.py").read_text()
BUGGY = "def add_one(x):\n    return x + 2"


def _status(app, exercise_id: str = "add-one"):  # type: ignore[no-untyped-def]
    return app.exercises.state(exercise_id)


@pilot_test
async def test_correct_solution_gets_full_marks_and_is_stored(
    data_dir: Path, clock: FakeClock
) -> None:
    """Typing the solution and pressing F6 shows every check passed, 4/4, on cpu; the store
    records an accepted run; the list says accepted; the reference solution opens (F4)."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await replace_code(pilot, screen, "def add_one(x):\n    return x + 1")
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        text = results_text(screen)
        assert "Submission (hidden checks) · ran on cpu" in text
        assert "✔ Full marks!  Score 4/4" in text
        for name in ("test_value", "test_sizes[1]", "test_sizes[5]", "test_dtype"):
            assert f"✔ {name}  1/1 pt" in text
        assert "Add one · 4 points · CPU · accepted · best 4/4" in screen_text(app)
        state = _status(app)
        assert (state.status, state.best_score, state.max_score) == ("accepted", 4.0, 4.0)
        [run] = runs(app.study.store, "add-one")
        assert (run.kind, run.full_marks, run.device, run.ran_at) == (
            "hidden",
            True,
            "cpu",
            clock.now(),
        )
        await pilot.press("f4")
        await wait_for(pilot, lambda: "Reference solution" in screen_text(app), timeout=5)
        assert isinstance(app.screen, SolutionScreen)
        code = app.screen.query_one("#solution-code")
        assert "return x + 1" in code.text and code.read_only
        assert code.size.width >= app.size.width - 6  # the whole width, not the statement pane
        await pilot.press("escape")  # closes the solution; the focus is back in the editor
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseListScreen)
        row = next(line.split() for line in screen_text(app).splitlines() if "add-one" in line)
        assert row[:3] == ["add-one", "accepted", "4/4"]


@pilot_test
async def test_buggy_code_names_the_failing_checks(data_dir: Path, clock: FakeClock) -> None:
    """A wrong value fails three checks, each named with its message; the dtype check passes;
    the best score stored is 1/4 and the exercise is not accepted."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, BUGGY)
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        text = results_text(screen)
        assert "Score 1/4" in text
        for name in ("test_value", "test_sizes[1]", "test_sizes[5]"):
            assert f"✘ {name}  0/1 pt  · failed" in text
        assert "✔ test_dtype  1/1 pt" in text
        assert "the result has wrong values" in text
        state = _status(app)
        assert (state.status, state.best_score, state.submissions) == ("in_progress", 1.0, 1)


@pilot_test
async def test_policy_violation_moves_the_cursor_to_its_line(
    data_dir: Path, clock: FakeClock
) -> None:
    """`import os` on line 2 is a policy violation shown with its line; the editor's cursor goes
    to that line."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        code = (SUBMISSIONS / "policy_import.py").read_text().rstrip("\n")
        await paste_code(pilot, screen, code)
        await pilot.press("ctrl+home")  # the cursor starts far from the bad line
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        text = results_text(screen)
        assert "line 2: importing `os` is not allowed" in text
        assert "⛔ test_value  0/1 pt  · policy · line 2" in text
        assert "The cursor is on line 2." in screen_text(app)
        assert screen.editor.cursor_location == (1, 0)
        assert screen.editor.selected_text == "import os"
        assert app.focused is screen.editor


@pilot_test
async def test_public_checks_then_status(data_dir: Path, clock: FakeClock) -> None:
    """F5 runs only the public checks; when they pass the status is "public checks pass"."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, BUGGY)  # the public check only looks at the shape
        await pilot.press("f5")
        await wait_idle(pilot, screen)
        text = results_text(screen)
        assert "Public checks · ran on cpu" in text
        assert "✔ Every public check passes. Now submit (F6)." in text
        assert "✔ test_returns_tensor  1/1 pt" in text
        assert _status(app).status == "public_pass"
        assert [r.kind for r in runs(app.study.store)] == ["public"]


@pilot_test
async def test_cancel_a_hanging_submission(data_dir: Path, clock: FakeClock) -> None:
    """Ctrl+G during a submission whose third check hangs stops the job at once: no process of
    the grading tree is left, nothing is recorded, and the next run works."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        code = (SUBMISSIONS / "hangs_on_five.py").read_text().rstrip("\n")
        await paste_code(pilot, screen, code)
        await pilot.press("f6")
        await wait_for(pilot, lambda: "2/4 checks done" in job_status(screen))
        worker = app.grading._worker  # the test checks its process group is gone
        group = worker._proc.pid
        assert live_processes_in_group(group)
        await pilot.press("ctrl+g")
        await wait_idle(pilot, screen, timeout=5)
        assert "Cancelled: every grading process was stopped" in job_status(screen)
        await wait_for(pilot, lambda: not live_processes_in_group(group), timeout=3)
        assert runs(app.study.store) == []
        await paste_code(pilot, screen, "def add_one(x):\n    return x + 1")
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        assert "✔ Full marks!  Score 4/4" in results_text(screen)


@pilot_test
async def test_watch_mode_runs_public_checks_when_the_file_is_saved(
    data_dir: Path, clock: FakeClock
) -> None:
    """With watch mode on (F8), saving the file from another editor reloads it into the app and
    runs the public checks."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert "● watching" in screen_text(app)
        path = app.exercises.workspace.path(screen.exercise)
        path.write_text(SOLUTION, encoding="utf-8")  # as another editor would
        await wait_for(pilot, lambda: screen.pane.results.result is not None)
        await wait_idle(pilot, screen)
        assert screen.editor.text == SOLUTION
        assert "✔ Every public check passes." in results_text(screen)
        assert [r.kind for r in runs(app.study.store)] == ["public"]


@pilot_test
async def test_results_follow_the_language(data_dir: Path, clock: FakeClock) -> None:
    """After a failed submission, switching to Chinese shows the verdicts and each check's
    message in Chinese."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, BUGGY)
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        await pilot.press("escape", "l")  # leave the editor: l switches the language
        await wait_for(pilot, lambda: "提交结果（隐藏检查）" in results_text(screen), timeout=5)
        text = results_text(screen)
        assert "得分 1/4" in text
        assert "✘ test_value  0/1 分  · 未通过" in text
        assert "结果的数值不对" in text
        assert "wrong values" not in text


@pilot_test
async def test_cuda_exercise_device(data_dir: Path, clock: FakeClock) -> None:
    """A CUDA exercise shows where it runs once the worker has looked for a GPU; without one
    its checks are skipped (never a 0) and the run does not count."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot, "needs-gpu")
        await wait_for(pilot, lambda: app.grading.cuda is not None)
        await pilot.pause()
        await paste_code(pilot, screen, (MINI_COURSE / "solutions" / "needs-gpu.py").read_text())
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        text = screen_text(app) + results_text(screen)
        if app.grading.cuda:
            assert "Device: GPU (CUDA)" in text and "ran on cuda" in text
            assert _status(app, "needs-gpu").status == "accepted"
        else:
            assert "Device: GPU (CUDA) (no GPU here)" in text
            assert "Some checks were skipped; this run does not count." in text
            assert "– test_on_gpu  0/1 pt  · skipped" in text
            assert _status(app, "needs-gpu").best_score is None


def job_status(screen) -> str:  # type: ignore[no-untyped-def]
    """The line under the editor: what the grader is doing."""
    return str(screen.query_one("#job-status").content)


def live_processes_in_group(pgid: int) -> list[int]:
    """Pids of processes (not zombies) whose process group is ``pgid``."""
    live = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            live.append(int(entry))
    return live
