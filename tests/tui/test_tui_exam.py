"""Exam mode: navigator, flags, answers changeable until submitted, deferred feedback, the report,
timing out, and resuming a killed exam."""

from __future__ import annotations

from pathlib import Path

from quiz_pilot import SIZE, display_position, make_app, markdown_text, pilot_test, screen_text

from grader.study.clock import FakeClock
from grader.tui.screens.exam import ExamScreen
from grader.tui.screens.report import ReportScreen

EXAM = ("fx-single", "fx-true-false", "fx-numeric")


@pilot_test
async def test_exam_answers_change_until_submitted(data_dir: Path, clock: FakeClock) -> None:
    """Responses are saved as they change, nothing is graded before submitting, then the report
    shows the score, the breakdown and the wrong answer with its explanation."""
    app = make_app(data_dir, clock, mode="exam", seed=2, questions=EXAM, time_limit_s=600)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        session = screen.session
        by_id = {item.question_id: index for index, item in enumerate(session.items)}
        await pilot.click(f"#nav-{by_id['fx-single'] + 1}")
        await pilot.press(str(display_position(screen, 1)))  # wrong first ...
        await pilot.press(str(display_position(screen, 0)), "f")  # ... then right, and flagged
        assert "✔" not in screen_text(app) and "Correct" not in screen_text(app)
        await pilot.click(f"#nav-{by_id['fx-true-false'] + 1}")
        await pilot.press("1")  # True: wrong
        stored = app.study.store.session(session.id)
        assert stored is not None
        responses = {i["question_id"]: (i["response"], i["flagged"]) for i in stored.state["items"]}
        assert responses == {
            "fx-single": (0, True),
            "fx-true-false": (True, False),
            "fx-numeric": (None, False),
        }
        assert app.study.store.answers() == []
        assert "2/3 answered" in screen_text(app) and "1 flagged" in screen_text(app)
        await pilot.press("ctrl+t")
        assert "1 unanswered, 1 flagged" in screen_text(app)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        text = screen_text(app)
        assert "Exam report" in text and "Score 1/3 (33%)" in text
        report = markdown_text(app, "#report")
        assert "Autograd does backpropagation" in report
        assert "| Basics fixture | 2/2 | 1/2 (50%) |" in report
        assert {a.question_id: a.score for a in app.study.store.answers()} == {
            "fx-single": 1.0,
            "fx-true-false": 0.0,
        }
        assert app.study.store.session(session.id).status == "submitted"


@pilot_test
async def test_exam_times_out(data_dir: Path, clock: FakeClock) -> None:
    """When the (injected) clock passes the limit, the exam is submitted and reported."""
    app = make_app(data_dir, clock, mode="exam", seed=2, questions=EXAM, time_limit_s=120)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "02:00 left" in screen_text(app)
        await pilot.press(str(display_position(screen, 0) if screen.session.current.order else 1))
        clock.advance(90)
        screen.tick()
        await pilot.pause()
        assert "00:30 left" in screen_text(app)
        clock.advance(31)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "submitted when time ran out" in screen_text(app)
        assert app.study.store.session(screen.session.id).state["timed_out"] is True
        assert len(app.study.store.answers()) == 1


@pilot_test
async def test_exam_resumes_after_the_app_dies(data_dir: Path, clock: FakeClock) -> None:
    """A new app on the same store resumes the exam: answers, flags and the time left."""
    app = make_app(data_dir, clock, mode="exam", seed=2, questions=EXAM, time_limit_s=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        by_id = {item.question_id: index for index, item in enumerate(screen.session.items)}
        await pilot.click(f"#nav-{by_id['fx-numeric'] + 1}")
        await pilot.press("1", "2", "ctrl+f")
        shown = screen.session.index
        clock.advance(100)
        screen.tick()
        saved = [(i.question_id, i.response, i.flagged) for i in screen.session.items]
    # no submit, no clean exit of the session: a new process opens the same store
    clock.advance(7200)
    again = make_app(data_dir, clock, mode="exam", seed=99)
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ExamScreen)
        assert [(i.question_id, i.response, i.flagged) for i in screen.session.items] == saved
        assert screen.session.index == shown
        assert screen.session.current.response == "12" and screen.session.current.flagged
        assert "03:20 left" in screen_text(again)
        assert "Resumed your unfinished exam" in screen_text(again)


@pilot_test
async def test_home_screen_starts_an_exam_and_offers_resume(
    data_dir: Path, clock: FakeClock
) -> None:
    """From home: pick Exam with the keyboard, start; Escape goes home, which offers to resume."""
    app = make_app(data_dir, clock, count=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "space", "ctrl+s")
        assert isinstance(app.screen, ExamScreen)
        assert len(app.screen.session) == 2
        await pilot.press("escape")
        text = screen_text(app)
        assert "Resume the unfinished exam (03:00 left)" in text
        await pilot.click("#resume")
        assert isinstance(app.screen, ExamScreen)
