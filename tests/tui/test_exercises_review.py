"""Spaced review of a code exercise, as a learner meets it in the app: accepted today, back on the
home screen as due once FSRS says so, a fresh start from the starter, the accepted code one key
(F3) away and never overwritten, and the review rated by its first submission and the hints used."""

from __future__ import annotations

from pathlib import Path

from exercise_pilot import (
    MINI_COURSE,
    make_exercise_app,
    open_exercise,
    paste_code,
    screen_text,
    wait_for,
    wait_idle,
)
from fsrs import Rating
from quiz_pilot import pilot_test

from grader.study.clock import FakeClock
from grader.study.exercise_progress import runs
from grader.study.exercise_review import reviews
from grader.tui.screens.home import HomeScreen
from grader.tui.screens.solution import SolutionScreen


async def go_home(pilot) -> None:  # type: ignore[no-untyped-def]
    """Esc until the home screen (the editor, the exercise, the list)."""
    for _ in range(4):
        if isinstance(pilot.app.screen, HomeScreen):
            return
        await pilot.press("escape")
        await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)


MINE = "def add_one(x):\n    return x + 1  # my first solution\n"
STARTER = (MINI_COURSE / "exercises" / "add-one" / "starter.py").read_text()


@pilot_test
async def test_an_accepted_exercise_comes_back_for_review(data_dir: Path, clock: FakeClock) -> None:
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, MINE)
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        assert app.exercises.state("add-one").status == "accepted"
        await go_home(pilot)
        assert "Exercise reviews due" not in screen_text(app)  # not due yet
    accepted = data_dir / "workspace" / "accepted" / "add-one.py"
    assert accepted.read_text() == MINE

    clock.advance(days=60)
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Exercise reviews due: 1" in screen_text(app)
        await pilot.press("f4")  # the list says which one
        await pilot.pause()
        row = next(line.split() for line in screen_text(app).splitlines() if "add-one" in line)
        assert row[:4] == ["add-one", "review", "due", "4/4"]
    app = make_exercise_app(data_dir, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_exercise(pilot)
        assert screen.editor.text == STARTER  # a fresh workspace
        assert "accepted · best 4/4 · in review (F3: your solution)" in screen_text(app)
        assert (data_dir / "workspace" / "add-one.py").read_text() == STARTER
        await pilot.press("f3")  # the accepted code, one key away
        await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen), timeout=5)
        assert "Your accepted code" in screen_text(app)
        assert app.screen.query_one("#solution-code").text == MINE
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, timeout=5)
        await pilot.press("f1")  # one hint: full marks then rate Hard, not Good
        await pilot.pause()
        await paste_code(pilot, screen, "def add_one(x):\n    return 1 + x\n")
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        assert "in review" not in screen_text(app)  # rated: the review is over
        await go_home(pilot)
        await pilot.pause()
        assert "Exercise reviews due" not in screen_text(app)
    last = reviews(app.study.store)[-1]
    assert (last.rating, last.hints, last.first) == (int(Rating.Hard), 1, False)
    assert accepted.read_text() == MINE  # kept, never overwritten
    assert runs(app.study.store)[-1].hints == 1  # stored with the run too
