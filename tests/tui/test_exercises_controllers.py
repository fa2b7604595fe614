"""The exercise screen's parts where the other exercise tests do not reach them: the file watch
with watch mode off, Ctrl+S, a save during a job (rerun after it, dropped on cancel), keys while
a job runs, $EDITOR failing or unable to suspend the app, the hint button, and an exercise
without public checks."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from exercise_pilot import (
    MINI_COURSE,
    SIZE,
    make_exercise_app,
    open_exercise,
    paste_code,
    results_text,
    screen_text,
    shared_grading,
    wait_for,
    wait_idle,
)
from quiz_pilot import pilot_test
from textual.widgets import Button

from grader.study.clock import FakeClock
from grader.study.exercise_progress import runs
from grader.tui.screens.confirm import ConfirmScreen

STARTER = (MINI_COURSE / "exercises" / "add-one" / "starter.py").read_text()
SOLUTION = (MINI_COURSE / "solutions" / "add-one.py").read_text()


class _Gate:
    """Holds every grading job until :attr:`opened` is set, then lets the real grader grade it;
    records the kind of each job asked for (a job held here is cancelled like a real one, and
    gives up after 30 s)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        grading = shared_grading()
        self._grade = grading.grade
        self.opened = threading.Event()
        self.kinds: list[str] = []
        monkeypatch.setattr(grading, "grade", self.grade)

    def grade(self, exercise: Any, path: Path, *, kind: str, cancel: threading.Event, **kw: Any):  # type: ignore[no-untyped-def]
        from grader.runner.client import Cancelled

        self.kinds.append(kind)
        deadline = time.monotonic() + 30  # a test that fails early must not leave the thread
        while not self.opened.wait(0.02):
            if cancel.is_set() or time.monotonic() > deadline:
                raise Cancelled()
        return self._grade(exercise, path, kind=kind, cancel=cancel, **kw)


def _job_status(screen: Any) -> str:
    return str(screen.query_one("#job-status").content)


@pilot_test
async def test_outside_change_is_reloaded_with_a_notice_when_watch_is_off(
    data_dir: Path, clock: FakeClock
) -> None:
    """With watch mode off, a file saved by another editor appears in the app with a notice,
    and nothing is graded."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        app.exercises.workspace.path(screen.exercise).write_text(SOLUTION, encoding="utf-8")
        await wait_for(pilot, lambda: screen.editor.text == SOLUTION, timeout=5)
        await pilot.pause()
        assert "The file changed outside the app and was reloaded." in screen_text(app)
        await pilot.pause(0.3)
        assert screen.running is None and screen.pane.results.result is None
        assert runs(app.study.store) == []


@pilot_test
async def test_ctrl_s_saves_and_in_watch_mode_runs_the_public_checks(
    data_dir: Path, clock: FakeClock
) -> None:
    """Ctrl+S writes the file and says where; only in watch mode does it run the public checks."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        path = app.exercises.workspace.path(screen.exercise)
        await paste_code(pilot, screen, SOLUTION)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == SOLUTION
        assert "Saved to" in screen_text(app)
        assert screen.running is None and runs(app.study.store) == []
        await pilot.press("f8", "ctrl+s")
        await wait_for(pilot, lambda: screen.pane.results.result is not None)
        await wait_idle(pilot, screen)
        assert [r.kind for r in runs(app.study.store)] == ["public"]


@pilot_test
async def test_a_save_during_a_job_runs_the_public_checks_again_after_it(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In watch mode, a save while a job runs is not lost: the public checks run once more
    when the job ends, on the saved file."""
    gate = _Gate(monkeypatch)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("f8", "f5")
        await wait_for(pilot, lambda: gate.kinds == ["public"], timeout=5)
        app.exercises.workspace.path(screen.exercise).write_text(SOLUTION, encoding="utf-8")
        await wait_for(pilot, lambda: screen.editor.text == SOLUTION, timeout=5)
        assert gate.kinds == ["public"]  # the job still runs: the save waits for it
        gate.opened.set()
        await wait_for(pilot, lambda: len(gate.kinds) == 2, timeout=15)
        await wait_for(pilot, lambda: len(runs(app.study.store)) == 2)
        await wait_idle(pilot, screen)
        assert gate.kinds == ["public", "public"]
        assert "✔ Every public check passes." in results_text(screen)


@pilot_test
async def test_cancelling_a_job_drops_the_rerun_a_save_asked_for(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+G stops the job, and the save made during it does not start another one."""
    gate = _Gate(monkeypatch)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("f8", "f5")
        await wait_for(pilot, lambda: gate.kinds == ["public"], timeout=5)
        app.exercises.workspace.path(screen.exercise).write_text(SOLUTION, encoding="utf-8")
        await wait_for(pilot, lambda: screen.editor.text == SOLUTION, timeout=5)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: "Cancelled" in _job_status(screen), timeout=5)
        await pilot.pause(0.3)
        assert screen.running is None
        assert gate.kinds == ["public"]
        assert runs(app.study.store) == []


@pilot_test
async def test_keys_that_would_start_or_reset_wait_for_the_running_job(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a job runs, Cancel replaces the disabled Run checks / Submit buttons, and F5, F6
    and F9 neither start a second job nor offer a reset; afterwards everything is back."""
    gate = _Gate(monkeypatch)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        run_button = screen.query_one("#run-checks", Button)
        cancel_button = screen.query_one("#cancel", Button)
        assert not cancel_button.display and not run_button.disabled
        await pilot.press("f5")
        await wait_for(pilot, lambda: gate.kinds == ["public"], timeout=5)
        assert cancel_button.display and run_button.disabled
        assert screen.query_one("#submit", Button).disabled
        await pilot.press("f5", "f6", "f9")
        await pilot.pause(0.2)
        assert gate.kinds == ["public"]
        assert not isinstance(app.screen, ConfirmScreen)
        gate.opened.set()
        await wait_idle(pilot, screen)
        assert not cancel_button.display and not run_button.disabled
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


@pilot_test
async def test_external_editor_that_cannot_start(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An $EDITOR that does not exist is reported by name; the code is untouched."""
    monkeypatch.setenv("EDITOR", "/nonexistent/bin/my-editor")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_exercise_app(data_dir, clock)

    @contextlib.contextmanager
    def fake_suspend():  # type: ignore[no-untyped-def]
        yield  # a headless test driver cannot suspend a real terminal

    monkeypatch.setattr(app, "suspend", fake_suspend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Could not start the editor" in screen_text(app)
        assert screen.editor.text == STARTER


@pilot_test
async def test_external_editor_where_the_app_cannot_suspend(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the terminal cannot hand itself to another program (here: the headless driver),
    Ctrl+O says to edit the file in another window with watch mode on, and runs nothing."""
    marker = data_dir.parent / "editor-ran"
    monkeypatch.setenv("EDITOR", f"touch {marker}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_exercise(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "This terminal cannot suspend the app" in screen_text(app)
        assert not marker.exists()
        assert screen.editor.text == STARTER


@pilot_test
async def test_hint_button_reveals_the_next_hint_and_goes_away(
    data_dir: Path, clock: FakeClock
) -> None:
    """Clicking "Show a hint" reveals the hint; with every hint shown the button is gone."""
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        button = screen.query_one("#show-hint", Button)
        assert str(button.label) == "Show a hint (0/1)"
        await pilot.click(button)
        await pilot.pause()
        assert "Hint 1 of 1: Tensors support +." in screen_text(app)
        assert not button.display


@pilot_test
async def test_exercise_without_public_checks(
    data_dir: Path, clock: FakeClock, tmp_path: Path
) -> None:
    """F5 on an exercise that has no public checks says so and grades nothing."""
    app = make_exercise_app(data_dir, clock)
    exercises = app.exercises
    add_one = exercises.exercise("add-one")
    folder = tmp_path / "add-one"
    shutil.copytree(add_one.folder, folder)
    for check in folder.glob("test_public*.py"):
        check.unlink()
    hidden_only = replace(add_one, folder=folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.open_screen("exercise", exercises, hidden_only, app.grading)
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert "This exercise has no public checks." in screen_text(app)
        assert screen.running is None and runs(app.study.store) == []


@pilot_test
async def test_one_escape_in_the_editor_cancels_a_running_job(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Esc with the focus in the editor cancels the running job at once (it used to only leave
    the editor, so a second Esc was needed); without a job it still just leaves the editor."""
    gate = _Gate(monkeypatch)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(pilot)
        screen.editor.focus()
        await pilot.press("f5")
        await wait_for(pilot, lambda: gate.kinds == ["public"], timeout=5)
        assert app.focused is screen.editor
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Cancelled" in _job_status(screen), timeout=5)
        assert screen.running is None and app.screen is screen
        screen.editor.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.focused is not screen.editor
