"""SVG snapshots of the main screens in both languages, at a fixed size and a fixed clock.

Update only after looking at the report: ``pytest tests/tui/test_tui_snapshots.py
--snapshot-update``; the files are in ``tests/tui/__snapshots__/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from quiz_pilot import display_position, make_app, open_study, right_response

from grader.study.clock import FakeClock

SNAP_SIZE = (100, 30)
LANGS = ["zh", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_home(snap_compare, data_dir: Path, clock: FakeClock, lang: str) -> None:
    """Home: modes, banks with mastery and due counts, tags, the mastery rule."""
    assert snap_compare(make_app(data_dir, clock, lang=lang), terminal_size=SNAP_SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_practice_feedback(snap_compare, data_dir: Path, clock: FakeClock, lang: str) -> None:
    """Practice: a wrong answer with the correct one and the explanation."""
    app = make_app(data_dir, clock, lang=lang, mode="practice", seed=1, questions=("fx-single",))

    async def answer_wrong(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(str(display_position(app.screen, 2)), "enter")

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=answer_wrong)


@pytest.mark.parametrize("lang", LANGS)
def test_exam(snap_compare, data_dir: Path, clock: FakeClock, lang: str) -> None:
    """Exam: countdown, navigator with an answered and a flagged question, an order question."""
    questions = ("fx-single", "fx-order", "fx-short", "fx-numeric")
    app = make_app(data_dir, clock, lang=lang, mode="exam", seed=3, questions=questions)

    async def work(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = app.screen
        by_id = {item.question_id: i for i, item in enumerate(screen.session.items)}
        await pilot.click(f"#nav-{by_id['fx-single'] + 1}")
        await pilot.press(str(display_position(screen, 0)), "f")
        await pilot.click(f"#nav-{by_id['fx-order'] + 1}")
        await pilot.press("shift+down")

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=work)


@pytest.mark.parametrize("lang", LANGS)
def test_report(snap_compare, data_dir: Path, clock: FakeClock, lang: str) -> None:
    """Exam report: score, per-bank table, first wrong answer."""
    questions = ("fx-single", "fx-true-false")
    app = make_app(data_dir, clock, lang=lang, mode="exam", seed=3, questions=questions)

    async def finish(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("1", "ctrl+t")
        await pilot.click("#confirm-yes")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=finish)


@pytest.mark.parametrize("lang", LANGS)
def test_stats(snap_compare, data_dir: Path, clock: FakeClock, lang: str) -> None:
    """Stats: totals, streak, mastery and the accuracy-by-day chart over two days."""
    study = open_study(data_dir, clock)
    for day in range(2):
        session = study.new_session("practice", banks=("fx-basics",), seed=day)
        session.answer(right_response(session.question()))
        session.next()
        session.answer(
            "zero" if session.question().type == "fill" else right_response(session.question())
        )
        clock.advance(days=1)
    study.close()
    app = make_app(data_dir, clock, lang=lang)
    assert snap_compare(app, press=["s"], terminal_size=SNAP_SIZE)
