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


@pilot_test
async def test_stats_screen_charts_the_reviews_due(data_dir: Path, clock: FakeClock) -> None:
    """The stats screen charts the reviews due per day, questions (█) and exercises (▒), as
    `grader stats` prints them; without any due it says so."""
    from grader.study.exercise_review import rate

    app = make_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#due-chart-none").scroll_visible(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "Reviews due in the next 14 days (█ questions, ▒ exercises)" in text
        assert "(none)" in text
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(display_position(app.screen, 0)), "enter")
        await pilot.pause()
        long_ago = clock.now().replace(year=2024)
        rate(app.study.store, "add-one", full_marks=True, score=4, max_score=4, hints=0,
             now=long_ago, day=long_ago.date())  # fmt: skip
    app = make_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#due-chart").scroll_visible(animate=False)
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if "+" in line]
        today = clock.today().strftime("%m-%d")
        [first] = [row for row in rows if today in row]
        assert first.endswith("   1 + 1") and "█" in first and "▒" in first
        await pilot.press("f2")
        await pilot.pause()
        assert "未来 14 天到期的复习（█ 题目，▒ 编程练习）" in screen_text(app)
