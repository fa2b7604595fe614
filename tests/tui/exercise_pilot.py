"""Helpers for the Pilot tests of the code-exercise screens (imported by tests/tui/test_exercises_*).

The app runs on the quiz fixture course's questions and the mini course's exercises
(``tests/data/course-mini``: ``add-one``, 4 points, and ``needs-gpu``). One grading service (one
warm worker) is shared by every test of a pytest process (:func:`shared_grading`), so torch is
imported once.
"""

from __future__ import annotations

import atexit
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quiz_pilot import open_study

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.exercise_study import ExerciseStudy
from grader.tui.app import QuizApp
from grader.tui.grading_job import GradingService

DATA = Path(__file__).resolve().parents[1] / "data"
MINI_COURSE = DATA / "course-mini"
SUBMISSIONS = DATA / "submissions" / "add-one"
SIZE = (120, 40)

_SERVICE: GradingService | None = None


def shared_grading() -> GradingService:
    """The process's one grading service: its warm worker starts in the background when the
    first exercise opens (as it does for a learner) and is stopped when the test process exits."""
    global _SERVICE
    if _SERVICE is None:
        _SERVICE = GradingService()
        atexit.register(_SERVICE.close)
    return _SERVICE


def make_exercise_app(
    data_dir: Path,
    clock: FakeClock,
    *,
    lang: str = "en",
    workspace: Path | None = None,
    grading: GradingService | None = None,
    browser: bool = False,
) -> QuizApp:
    """The app with the mini course's exercises, its workspace in ``data_dir``/workspace.

    ``grading``: the grader to use (default: the shared one); ``browser``: with the browser's keys.
    """
    study = open_study(data_dir, clock)
    exercises = ExerciseStudy.open(
        resolve_course(MINI_COURSE),
        study.store,
        workspace=workspace or data_dir / "workspace",
        clock=clock,
    )
    return QuizApp(
        study,
        lang=lang,
        exercises=exercises,
        grading=grading or shared_grading(),
        browser=browser,
    )


async def open_exercise(pilot: Any, exercise_id: str = "add-one") -> Any:
    """From the home screen, open the exercise list (F4), then ``exercise_id``; return its screen."""
    from grader.tui.screens.exercise import ExerciseScreen

    await pilot.press("f4")
    await pilot.pause()
    table = pilot.app.screen.query_one("#exercise-table")
    ids = [row.value for row in table.rows]
    table.move_cursor(row=ids.index(exercise_id))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExerciseScreen))
    return pilot.app.screen


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds (grading happens in a thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


async def wait_idle(pilot: Any, screen: Any, timeout: float = 30.0) -> None:
    """Wait until the exercise screen has no job running."""
    await wait_for(pilot, lambda: screen.running is None, timeout)
    await pilot.pause()


async def replace_code(pilot: Any, screen: Any, code: str) -> None:
    """Clear the editor and type ``code`` into it, key by key (lines are typed without their
    leading spaces after the first: Tab indents as a learner would)."""
    editor = screen.editor
    editor.focus()
    await pilot.press("f7", "delete")  # TextArea: F7 selects everything
    for line_no, line in enumerate(code.splitlines()):
        if line_no:
            await pilot.press("enter")
        stripped = line.lstrip(" ")
        await pilot.press(*["tab"] * ((len(line) - len(stripped)) // 4))
        await pilot.press(*[_key(c) for c in stripped])
    await pilot.pause()


async def paste_code(pilot: Any, screen: Any, code: str) -> None:
    """Replace the editor's text with ``code`` by selecting everything and pasting, as a
    terminal delivers a paste (much faster than typing it key by key)."""
    from textual.events import Paste

    screen.editor.focus()
    await pilot.press("f7")  # TextArea: F7 selects everything
    pilot.app.post_message(Paste(code))
    await wait_for(pilot, lambda: screen.editor.text == code, timeout=5)


def _key(char: str) -> str:
    return {" ": "space"}.get(char, char)


def screen_text(app: QuizApp) -> str:
    """Everything on the screen now, as plain text lines (no-break spaces, which keep inline
    code whole, read as spaces)."""
    lines = (strip.text.rstrip() for strip in app.screen._compositor.render_strips())
    return "\n".join(lines).replace("\u00a0", " ")


def results_text(screen: Any) -> str:
    """The text of the results panel, all of it (scrolled into view or not)."""
    from textual.widgets import Static

    parts = [str(w.content) for w in screen.pane.results.query(Static) if w.display]
    return "\n".join(parts).replace("\u00a0", " ")
