"""The app as a whole: review with FSRS, switching language, the stats screen, a terminal that is
too small, and NO_COLOR."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from quiz_pilot import (
    SIZE,
    display_position,
    make_app,
    markdown_text,
    open_study,
    pilot_test,
    right_response,
    screen_text,
)

from grader.study.clock import FakeClock
from grader.tui.screens.quiz import QuizScreen
from grader.tui.screens.stats import StatsScreen
from grader.tui.screens.too_small import TooSmallScreen


@pilot_test
async def test_review_shows_due_questions_and_reschedules(data_dir: Path, clock: FakeClock) -> None:
    """Questions answered in practice come back in review once due; a review answer is rated."""
    study = open_study(data_dir, clock)
    session = study.new_session("practice", banks=("fx-basics",), seed=4)
    for _ in session.items:
        session.answer(right_response(session.question()))
        session.next()
    study.close()
    clock.advance(600)  # FSRS learning step: due again after 10 minutes
    app = make_app(data_dir, clock, mode="review", banks=("fx-basics",))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.session.mode == "review"
        assert {i.question_id for i in screen.session.items} == {
            "fx-single",
            "fx-multiple",
            "fx-true-false",
            "fx-fill",
        }
        assert "Review" in screen_text(app)
        qid = screen.session.current.question_id
        response = right_response(screen.session.question())
        if screen.session.question().type == "fill":
            await pilot.press(*response, "enter")
        elif screen.session.question().type == "true_false":
            await pilot.press("2" if response is False else "1", "enter")
        elif screen.session.question().type == "multiple":
            await pilot.press(*(str(display_position(screen, i)) for i in response), "ctrl+s")
        else:
            await pilot.press(str(display_position(screen, response)), "enter")
        assert "✔ Correct" in screen_text(app)
        reviews = app.study.store.reviews(qid)
        assert [(r.rating, r.reviewed_at) for r in reviews][-1] == (3, clock.now())
        assert len(reviews) == 2
        assert app.study.store.answers(qid)[-1].mode == "review"


@pilot_test
async def test_nothing_to_review(data_dir: Path, clock: FakeClock) -> None:
    """Review with nothing due and nothing new stays on the home screen with a notice."""
    study = open_study(data_dir, clock)
    session = study.new_session("practice", ids=("fx-fill",))
    session.answer("zero_grad")
    study.close()
    app = make_app(data_dir, clock, mode="review", questions=("fx-fill",))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "Nothing to review right now" in screen_text(app)
        assert not isinstance(app.screen, QuizScreen)


@pilot_test
async def test_language_switch_changes_every_text(data_dir: Path, clock: FakeClock) -> None:
    """l switches question, options, feedback, headers and footer; F2 switches back even while
    typing in a text box, where l types a letter."""
    app = make_app(data_dir, clock, lang="en", mode="practice", questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(display_position(app.screen, 0)), "enter")
        english = screen_text(app)
        assert "where is the gradient of a leaf tensor stored?" in english
        assert "✔ Correct" in english and "Submit" in english and "Question 1 of 1" in english
        await pilot.press("l")
        chinese = screen_text(app)
        assert app.lang == "zh"
        for text in ("叶子张量", "✔ 正确", "解析", "提交", "第 1/1 题", "基础测验", "English"):
            assert text in chinese, text
        for text in ("Correct", "Submit", "Question", "Basics fixture", "Explanation"):
            assert text not in chinese, text
        await pilot.press("f2")
        assert app.lang == "en" and "Submit" in screen_text(app)
    app = make_app(data_dir, clock, lang="zh", mode="practice", questions=("fx-fill",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert app.lang == "zh" and app.screen.query_one("#answer-input").value == "l"
        await pilot.press("f2")
        assert app.lang == "en" and "Which optimizer method" in screen_text(app)


@pilot_test
async def test_home_and_stats_screens(data_dir: Path, clock: FakeClock) -> None:
    """Home lists banks with mastery and due counts; s opens the stats with the day's accuracy."""
    study = open_study(data_dir, clock)
    session = study.new_session("practice", banks=("fx-basics",), seed=4)
    session.answer(right_response(session.question()))
    study.close()
    app = make_app(data_dir, clock)
    async with app.run_test(size=(160, 36)) as pilot:
        text = screen_text(app)
        assert "Basics fixture (4 questions · 0 mastered · 0 due)" in text
        assert "Mastered = FSRS stability ≥ 21 days" in text
        assert "0 reviews due · 8 not yet studied" in text
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        stats = markdown_text(app, "#stats")
        assert "1 answered, 1 fully right, accuracy 100%" in stats
        assert "| Basics fixture | 1 | 1 | 100% |" in markdown_text(app, "#stats-tables")
        chart = screen_text(app)
        assert re.search(r"01-06 █+ 100% \(1\)", chart)
        assert "01-05 ·" in chart and "12-24 ·" in chart
        await pilot.press("l")
        assert "学习统计" in markdown_text(app, "#stats") and "每日正确率" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


@pilot_test
async def test_too_small_terminal(data_dir: Path, clock: FakeClock) -> None:
    """Below 64×16 a notice replaces the screen; enlarging the terminal brings the quiz back."""
    app = make_app(data_dir, clock, mode="practice", questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.resize_terminal(40, 12)
        assert isinstance(app.screen, TooSmallScreen)
        notice = " ".join(screen_text(app).split())
        assert "at least 64×16 is needed, this one is 40×12" in notice
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, QuizScreen)


WINDOW_CHROME = {"ff5f57", "febc2e", "28c840", "c5c8c6"}
"""Colours of the screenshot's window frame and title (not the app's)."""


async def _screen_colours(app: object) -> set[str]:
    async with app.run_test(size=SIZE) as pilot:  # type: ignore[attr-defined]
        await pilot.press("2", "enter")
        svg = app.export_screenshot()  # type: ignore[attr-defined]
    found = set(re.findall(r"fill: ?#([0-9a-fA-F]{6})", svg))
    found |= set(re.findall(r'fill="#([0-9a-fA-F]{6})"', svg))
    return {c.lower() for c in found} - WINDOW_CHROME


def _greys(colours: set[str]) -> set[str]:
    return {c for c in colours if c[0:2] == c[2:4] == c[4:6]}


@pilot_test
async def test_no_color(data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set, every colour the app draws is a shade of grey (without it, not)."""
    coloured = await _screen_colours(
        make_app(data_dir, clock, mode="practice", questions=("fx-single",))
    )
    assert _greys(coloured) != coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = await _screen_colours(
        make_app(data_dir, clock, mode="practice", questions=("fx-single",))
    )
    assert plain and _greys(plain) == plain, sorted(plain - _greys(plain))


@pilot_test
async def test_ctrl_c_says_how_to_quit_in_the_learners_language(
    data_dir: Path, clock: FakeClock
) -> None:
    """Ctrl+C does not quit (it copies in a text box): the toast naming the quit key is in the
    app's language."""
    app = make_app(data_dir, clock, lang="zh", mode="practice", questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        (toast,) = [n for n in app._notifications]
        assert toast.title == "要退出吗？" and toast.message.startswith("按 ")
        assert "退出本应用" in toast.message and "quit" not in toast.message.lower()
        assert app.is_running


@pilot_test
async def test_the_footer_names_the_quit_key(data_dir: Path, clock: FakeClock) -> None:
    """Every screen's footer ends with the quit key, in the app's language."""
    app = make_app(data_dir, clock, lang="en", mode="practice", questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def shown() -> list[tuple[str, str]]:
            return [
                (key, active.binding.description)
                for key, active in app.active_bindings.items()
                if active.binding.show
            ]

        assert shown()[-1] == ("ctrl+q", "Quit"), shown()
        await pilot.press("f2")
        await pilot.pause()
        assert shown()[-1] == ("ctrl+q", "退出"), shown()
