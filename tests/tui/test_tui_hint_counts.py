"""Hint counts as a learner meets them: the hints shown before an answer are stored with it,
and the statistics screen (F3 from home) says how many were used."""

from __future__ import annotations

from pathlib import Path

from quiz_pilot import SIZE, display_position, make_app, pilot_test, screen_text

from grader.study.clock import FakeClock
from grader.tui.screens.stats import StatsScreen


@pilot_test
async def test_hints_are_stored_with_the_answer_and_shown_in_stats(
    data_dir: Path, clock: FakeClock
) -> None:
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press(str(display_position(app.screen, 0)), "enter")
        await pilot.pause()
        [answer] = app.study.store.answers("fx-single")
        assert (answer.score, answer.hints) == (1.0, 1)
    app = make_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "Hints used: 1 on 1 questions, 0 in code exercises" in screen_text(app)
        await pilot.press("f2")  # the language switch
        await pilot.pause()
        assert "用过的提示：1 道题共 1 个，编程练习 0 个" in screen_text(app)


@pilot_test
async def test_no_hint_no_hint_line(data_dir: Path, clock: FakeClock) -> None:
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(display_position(app.screen, 0)), "enter")
        await pilot.pause()
        assert app.study.store.answers("fx-single")[0].hints == 0
    app = make_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert "Hints used" not in screen_text(app)
