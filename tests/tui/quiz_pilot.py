"""Helpers for the app's Pilot tests (imported by the test modules of tests/tui)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.tui.app import QuizApp, StartOptions

QUIZ_COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"
SIZE = (100, 36)


def pilot_test(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test function in its own event loop (no pytest-asyncio needed)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return run


def open_study(data_dir: Path, clock: FakeClock) -> Study:
    """The fixture course with its progress in ``data_dir``."""
    return Study.open(resolve_course(QUIZ_COURSE), data_dir, clock=clock, enable_fuzzing=False)


def make_app(data_dir: Path, clock: FakeClock, lang: str = "en", **start: Any) -> QuizApp:
    """The app on the fixture course, started as ``grader quiz`` with ``start`` options would."""
    return QuizApp(open_study(data_dir, clock), lang=lang, start=StartOptions(**start))


def screen_text(app: QuizApp) -> str:
    """Everything on the screen now, as plain text lines."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def markdown_text(app: QuizApp, selector: str) -> str:
    """The Markdown source shown by the widget ``selector`` (all of it, scrolled or not)."""
    from textual.widgets import Markdown

    return app.screen.query_one(selector, Markdown).source


def right_response(question: Any) -> Any:
    """A fully right response to a fixture question, in the bank engine's terms."""
    kind = question.type
    if kind == "fill":
        return question.answer[0]
    if kind == "numeric":
        return f"{question.answer:g}"
    if kind == "order":
        return list(range(len(question.options)))
    if kind == "short":
        return "full"
    return question.answer


async def go_to(pilot: Any, question_id: str) -> None:
    """Press n until the quiz or exam shows ``question_id``."""
    screen = pilot.app.screen
    for _ in range(len(screen.session.items)):
        if screen.session.current.question_id == question_id:
            return
        await pilot.press("ctrl+n")
        await pilot.pause()
    raise AssertionError(f"{question_id} is not in the session")


def display_position(screen: Any, original_index: int) -> int:
    """The 1-based position at which the current question shows option ``original_index``."""
    return screen.session.current.order.index(original_index) + 1
