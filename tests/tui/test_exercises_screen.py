"""The exercise list and the exercise screen without grading: statuses, the workspace, reset,
hints, the language switch, $EDITOR and the locked solution."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from exercise_pilot import (
    MINI_COURSE,
    SIZE,
    make_exercise_app,
    open_exercise,
    paste_code,
    replace_code,
    screen_text,
    wait_for,
)
from quiz_pilot import pilot_test
from textual.widgets import Select

from grader.errors import InternalError
from grader.study.clock import FakeClock
from grader.study.exercise_progress import mark_started
from grader.tui.grading_job import GradingService
from grader.tui.screens.confirm import ConfirmScreen
from grader.tui.screens.exercise_list import ExerciseListScreen

STARTER = (MINI_COURSE / "exercises" / "add-one" / "starter.py").read_text()


@pilot_test
async def test_home_opens_the_list_with_each_status(data_dir: Path, clock: FakeClock) -> None:
    """F4 on the home screen lists every exercise with its topic, device, points and status."""
    app = make_exercise_app(data_dir, clock)
    mark_started(app.study.store, "add-one", clock.now())
    async with app.run_test(size=SIZE) as pilot:
        assert "Exercises (0/2 accepted)" in screen_text(app)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseListScreen)
        rows = [line.split() for line in screen_text(app).splitlines()]
        add_one = next(r for r in rows if r[:1] == ["add-one"])
        needs_gpu = next(r for r in rows if r[:1] == ["needs-gpu"])
        assert add_one[:6] == ["add-one", "in", "progress", "–", "4", "CPU"]
        assert "tensors" in add_one
        assert needs_gpu[:7] == ["needs-gpu", "not", "started", "–", "1", "GPU", "(CUDA)"]


@pilot_test
async def test_the_list_reads_at_80_columns(data_dir: Path, clock: FakeClock) -> None:
    """At 80×24 every row shows its id, status and best score whole (they used to appear only
    from about 205 columns), and a title too long for the rest ends with "…"."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert all(len(line) <= 80 for line in lines)
        header = next(line for line in lines if "Status" in line)
        assert header.split()[:4] == ["Exercise", "Status", "Best", "Points"]
        add_one = next(line.split() for line in lines if line.split()[:1] == ["add-one"])
        assert add_one[:4] == ["add-one", "not", "started", "–"]


@pilot_test
async def test_workspace_keeps_the_code_across_restarts(
    data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    """The starter is copied into the workspace; typed code is saved there and comes back in a
    new app; the exercise counts as in progress once the code differs from the starter."""
    workspace = tmp_path / "my-work"
    app = make_exercise_app(data_dir, clock, workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        assert (workspace / "add-one.py").read_text() == STARTER
        await paste_code(pilot, screen, "def add_one(x):\n    return x")
        await pilot.press("escape", "escape")  # leave the editor, then the screen
        await pilot.pause()
        assert isinstance(app.screen, ExerciseListScreen)
        assert "in progress" in screen_text(app)
    assert (workspace / "add-one.py").read_text() == "def add_one(x):\n    return x"
    again = make_exercise_app(data_dir, clock, workspace=workspace)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        assert screen.editor.text == "def add_one(x):\n    return x"


@pilot_test
async def test_reset_asks_first(data_dir: Path, clock: FakeClock) -> None:
    """F9 asks before resetting: 'Keep my code' keeps it, 'Reset' brings the starter back."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, "def add_one(x):\n    return x - 1")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert screen.editor.text == "def add_one(x):\n    return x - 1"
        await pilot.press("f9")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert screen.editor.text == STARTER
        assert app.exercises.workspace.path(screen.exercise).read_text() == STARTER


@pilot_test
async def test_hints_one_at_a_time(data_dir: Path, clock: FakeClock) -> None:
    """F1 reveals the next hint (even from inside the editor); past the last one it says so."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_exercise(pilot)
        assert "Tensors support" not in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert "Hint 1 of 1: Tensors support +." in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert "Every hint is shown." in screen_text(app)


@pilot_test
async def test_l_types_in_the_editor_and_switches_language_outside(
    data_dir: Path, clock: FakeClock
) -> None:
    """In the editor `l` is a letter; after Esc leaves the editor, `l` switches every text."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await replace_code(pilot, screen, "l")
        assert screen.editor.text == "l" and app.lang == "en"
        await pilot.press("escape", "l")
        # The status turns to "in progress" once the typed code is saved (debounced).
        await wait_for(
            pilot,
            lambda: "实现 add_one(x)" in screen_text(app) and "进行中" in screen_text(app),
            timeout=5,
        )
        text = screen_text(app)
        assert app.lang == "zh"
        assert "加一 · 4 分 · CPU · 进行中" in text
        assert "实现 add_one(x)，返回 x + 1" in text
        assert "运行检查 (F5)" in text and "提交评分 (F6)" in text
        assert "Add one" not in text


@pilot_test
async def test_solution_is_locked_before_acceptance(data_dir: Path, clock: FakeClock) -> None:
    """The reference solution is not offered before the exercise is accepted."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        assert "Solution" not in screen_text(app).splitlines()[-1]  # not in the footer
        screen.action_solution()
        await pilot.pause()
        assert "The solution opens once the exercise is accepted." in screen_text(app)
        assert "return x + 1" not in screen_text(app)


@pilot_test
async def test_external_editor_edits_the_workspace_file(
    data_dir: Path, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+O runs $EDITOR on the learner's file with the app suspended; its changes appear in
    the built-in editor afterwards."""
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys\nopen(sys.argv[1], 'a').write('# edited outside\\n')\n", encoding="utf-8"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_exercise_app(data_dir, clock)
    suspended: list[bool] = []

    @contextlib.contextmanager
    def fake_suspend():  # type: ignore[no-untyped-def]
        suspended.append(True)  # a headless test driver cannot suspend a real terminal
        yield

    monkeypatch.setattr(app, "suspend", fake_suspend)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: screen.editor.text.endswith("# edited outside\n"))
        assert suspended == [True]
        assert screen.editor.text == STARTER + "# edited outside\n"


@pilot_test
async def test_external_editor_unset(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without $EDITOR or $VISUAL, Ctrl+O says so and changes nothing."""
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Neither $EDITOR nor $VISUAL is set." in screen_text(app)
        assert screen.editor.text == STARTER


class _GpuGrading(GradingService):
    """A grader whose worker reports a CUDA device and which records what it is asked to run
    (this machine may have no GPU; the real worker's facts come from NVML)."""

    def __init__(self) -> None:
        super().__init__()
        self.facts = {"cuda": True}
        self._ready.set()
        self.asked: list[tuple[str, str]] = []

    def grade(self, exercise, path, *, kind, device, on_progress, cancel):  # type: ignore[no-untyped-def]
        self.asked.append((kind, device))
        raise InternalError("recorded")


@pilot_test
async def test_device_choice_when_a_gpu_is_present(data_dir: Path, clock: FakeClock) -> None:
    """An exercise that runs on either device offers auto / CPU / CUDA when the worker sees a
    GPU, and the choice is what the grader is asked for; a CPU exercise offers no choice."""
    grading = _GpuGrading()
    app = make_exercise_app(data_dir, clock, grading=grading)
    exercises = app.exercises
    add_one = exercises.exercise("add-one")
    either = replace(add_one, spec=add_one.spec.model_copy(update={"device": "any"}))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.open_screen("exercise", exercises, add_one, grading)
        await pilot.pause()
        assert not screen.query_one("#device", Select).display
        assert "Device: CPU" in screen_text(app)
        await pilot.press("escape", "escape")
        screen = app.open_screen("exercise", exercises, either, grading)
        await pilot.pause()
        select = screen.query_one("#device", Select)
        assert select.display and select.value == "auto"
        select.value = "cuda"
        await pilot.press("f5")
        await wait_for(pilot, lambda: screen.running is None, timeout=5)
        assert grading.asked == [("public", "cuda")]
        assert "The grader failed (not your code): recorded" in screen_text(app)
