"""Sitting a class exam file in the app (Textual's Pilot): no answers shown, a wall-clock
deadline that runs while the app is closed, a kill loses nothing, and the answers file."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from exam_support import HERE, build

sys.path.insert(0, str(HERE.parent / "tui"))
from quiz_pilot import SIZE, screen_text

from grader.exam.sitting import open_class_exam
from grader.exam.student_file import ExamFileError, read_exam_file
from grader.study.clock import FakeClock
from grader.tui.app import QuizApp, StartOptions
from grader.tui.screens.exam import ExamScreen
from grader.tui.screens.handed_in import HandedInScreen

SECRETS = ("A view reads the same data under another shape.", "Transposing swaps")


def _run(coroutine: Any) -> Any:
    """Run an app test in a thread of its own: the session's Playwright ``browser`` fixture, once
    some test used it, keeps an event loop on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _app(exam: Path, data: Path, clock: FakeClock) -> QuizApp:
    study = open_class_exam(read_exam_file(exam), data, clock=clock)
    return QuizApp(study, lang="en", start=StartOptions(mode="exam"))


def test_sit_kill_resume_and_hand_in(tmp_path: Path) -> None:
    out = build(tmp_path, ["alice"], spec=HERE / "views_spec.yaml")
    exam, data = out / "alice.exam", tmp_path / "data"
    clock = FakeClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))

    async def first_sitting() -> None:
        app = _app(exam, data, clock)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, ExamScreen)
            text = screen_text(app)
            assert "10:00 left" in text and "due 12-07 " in text
            assert "the clock runs while the app is closed" in text
            await pilot.press("2")  # option 2 of the first item, as the file lists them
            await pilot.pause()
            for secret in SECRETS:
                assert secret not in screen_text(app)
        # The app ended without submitting (as a kill would): nothing is handed in yet.

    item = read_exam_file(exam).items[0]
    picked = item["options"][1] if item["type"] == "code_output" else 1
    _run(first_sitting())
    assert not (out / "alice.answers.json").exists()
    clock.advance(240)  # four minutes with the app closed still count

    async def second_sitting() -> None:
        app = _app(exam, data, clock)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            assert isinstance(screen, ExamScreen)
            assert screen.session.current.response == picked  # kept from the first sitting
            assert "06:00 left" in screen_text(app)
            await pilot.press("ctrl+t")
            await pilot.click("#confirm-yes")
            await pilot.pause()
            assert isinstance(app.screen, HandedInScreen)
            text = screen_text(app)
            assert "alice.answers.json" in text and "Hand in this file" in text
            assert "Score" not in text and "%" not in text

    _run(second_sitting())
    handed = json.loads((out / "alice.answers.json").read_text(encoding="utf-8"))
    first = read_exam_file(exam).items[0]["item"]
    by_item = {a["item"]: a for a in handed["answers"]}
    assert by_item[first]["response"] == picked and by_item[first]["answered_at"]
    assert handed["student"] == "alice" and handed["exam_id"] == "quiz-views"
    assert handed["time_used_s"] == 240.0 and handed["app_version"]


def test_deadline_passed_while_closed_hands_in(tmp_path: Path) -> None:
    out = build(tmp_path, ["bob"], spec=HERE / "views_spec.yaml")
    exam, data = out / "bob.exam", tmp_path / "data"
    clock = FakeClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))

    async def sit(after: float) -> QuizApp:
        app = _app(exam, data, clock)
        async with app.run_test(size=SIZE) as pilot:
            if after == 0:
                await pilot.press("1")
            else:
                await pilot.pause(1.3)  # one tick of the countdown
                assert isinstance(app.screen, HandedInScreen)
        return app

    _run(sit(0))
    clock.advance(11 * 60)  # past the ten minutes, with the app closed
    _run(sit(1))
    handed = json.loads((out / "bob.answers.json").read_text(encoding="utf-8"))
    assert handed["timed_out"] is True and handed["time_used_s"] == 600.0


def test_take_needs_a_terminal_and_refuses_a_second_sitting(tmp_path: Path) -> None:
    from cli_support import run_grader

    out = build(tmp_path, ["carol"], spec=HERE / "views_spec.yaml")
    done = run_grader("exam", "take", str(out / "carol.exam"), cwd=tmp_path)
    assert done.returncode == 2 and "needs a terminal" in done.stderr
    study = open_class_exam(read_exam_file(out / "carol.exam"), tmp_path / "data")
    try:
        study.new_session("exam").submit()
        assert study.handed_in_file() == str(out / "carol.answers.json")
    finally:
        study.close()


def test_a_damaged_or_edited_exam_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    """A student's file with a field the app cannot sit (edited by hand, cut short in a copy)
    is refused by `grader exam take` and `grader quiz --exam` with the field and what is wrong,
    before the app starts, instead of a traceback from inside it."""
    from cli_support import run_grader

    out = build(tmp_path, ["dana"], spec=HERE / "views_spec.yaml")
    good = json.loads((out / "dana.exam").read_text(encoding="utf-8"))

    def edited(change: Any) -> dict[str, Any]:
        data = json.loads(json.dumps(good))
        change(data)
        return data

    cases = {
        "no-items": (edited(lambda d: d.pop("items")), "'items' is missing or empty"),
        "no-id": (edited(lambda d: d.pop("exam_id")), "'exam_id' is missing or not a text"),
        "deadline": (
            edited(lambda d: d.update(deadline="tomorrow")),
            "'deadline' is 'tomorrow', not a date and time with its zone",
        ),
        "limit": (
            edited(lambda d: d.update(time_limit_s="lots")),
            "'time_limit_s' is 'lots', not a positive number of seconds",
        ),
        "type": (
            edited(lambda d: d["items"][0].update(type="essay")),
            "item 1 (Q01) has type 'essay', not one of single,",
        ),
        "prompt": (
            edited(lambda d: d["items"][1].update(prompt="a string")),
            "item 2 (Q02) 'prompt' is not a text with 'zh' and 'en'",
        ),
        "options": (
            edited(lambda d: d["items"][0].update(type="single", options=[])),
            "item 1 (Q01) 'options' is not a list of at least 2 texts",
        ),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / f"{name}.exam"
        path.write_text(json.dumps(data), encoding="utf-8")
        for command in (("exam", "take"), ("quiz", "--exam")):
            done = run_grader(*command, str(path), cwd=tmp_path)
            assert done.returncode == 2, (name, command, done.stderr)
            assert f"{path}: {message}" in done.stderr, (name, command, done.stderr)
            assert "Traceback" not in done.stderr
        with pytest.raises(ExamFileError, match=re.escape(message)):
            read_exam_file(path)  # what the app reads, in a terminal too


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_80x24_the_header_is_whole_and_shows_no_made_up_difficulty(
    tmp_path: Path, lang: str
) -> None:
    """At 80x24, in both languages, every line of the exam's header (the title, the status with
    the wall-clock deadline and a flag, the question's header) is on screen whole, not cut; and
    no item shows a difficulty: the file carries none, and the app's placeholder 1 (★☆☆☆☆) was
    made up."""
    out = build(tmp_path, ["erin"], spec=HERE / "views_spec.yaml")
    clock = FakeClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))

    async def sit() -> None:
        study = open_class_exam(read_exam_file(out / "erin.exam"), tmp_path / "d", clock=clock)
        app = QuizApp(study, lang=lang, start=StartOptions(mode="exam"))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ExamScreen)
            await pilot.press("ctrl+f")  # a flag makes the status longer
            await pilot.pause()
            for _ in screen.session.items:
                text = screen_text(app)
                header = [screen.query_one("#title-bar").render(), screen.view._header()]
                lines = [str(line) for line in header] + screen._status().splitlines()
                for line in lines:
                    assert line in text, (line, text)
                assert "…" not in text
                assert "★" not in text and "☆" not in text
                assert "difficulty" not in text and "难度" not in text
                await pilot.press("ctrl+n")
                await pilot.pause()

    _run(sit())
