"""The app shows a question's hints one at a time and an exam report counted in points.

The course is the grading fixture bank (``tests/data/banks/grading/good.yaml``) copied into a
temporary course folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from quiz_pilot import SIZE, pilot_test, screen_text

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.tui.app import QuizApp, StartOptions

GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "grading" / "good.yaml"


def _app(tmp_path: Path, **start: object) -> QuizApp:
    (tmp_path / "course" / "questions").mkdir(parents=True)
    shutil.copy(GOOD, tmp_path / "course" / "questions" / "grading.yaml")
    study = Study.open(
        resolve_course(tmp_path / "course"),
        tmp_path / "data",
        clock=FakeClock(),
        enable_fuzzing=False,
    )
    return QuizApp(study, lang="en", start=StartOptions(**start))  # type: ignore[arg-type]


@pilot_test
async def test_each_hint_request_shows_the_next_hint(tmp_path: Path) -> None:
    """? shows hint 1 of 2; ? again adds hint 2; a third ? changes nothing."""
    app = _app(tmp_path, mode="practice", seed=1, questions=("grading-multiple-credit",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Hint: (1/2) There are three." in text
        assert "D is wrong." not in text
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Hint: (1/2) There are three." in text and "Hint: (2/2) D is wrong." in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert screen_text(app).count("D is wrong.") == 1
        assert app.screen.session.current.hints_shown == 2


@pilot_test
async def test_a_single_hint_looks_as_before(tmp_path: Path) -> None:
    """A question with one `hint` shows it without a count."""
    app = _app(tmp_path, mode="practice", seed=1, questions=("grading-true-false-default",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Hint: Think of the defaults." in screen_text(app)


@pilot_test
async def test_the_exam_report_counts_points(tmp_path: Path) -> None:
    """An unanswered exam of 2 + 1 + 1 points reports a score out of 4, not out of 3 questions."""
    ids = ("grading-single-credit", "grading-multiple-credit", "grading-true-false-default")
    app = _app(tmp_path, mode="exam", seed=1, questions=ids)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.session.submit()
        app.open_screen("report", app.screen.session, replace=True)
        await pilot.pause()
        assert "Score 0/4 (0%)" in screen_text(app)
