"""Keys in a browser (``grader serve``): every action has a key the browser leaves to the page, the
footer shows that key, and Ctrl+O ($EDITOR) is hidden. ``QuizApp(browser=True)`` is what Textual's
web driver makes of the served app (tests/serve/test_serve_browser.py drives the real one)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from exercise_pilot import make_exercise_app, open_exercise
from quiz_pilot import SIZE, make_app, pilot_test, screen_text
from textual.binding import Binding

from grader.study.clock import FakeClock
from grader.tui.app import BROWSER_KEYMAP, BROWSER_TAKEN, SCREENS, QuizApp
from grader.tui.screens.exam import ExamScreen
from grader.tui.screens.quiz import QuizScreen

EXAM = ("fx-single", "fx-true-false", "fx-numeric")


def _classes() -> list[type]:
    return [QuizApp] + [
        getattr(import_module(path.split(":")[0]), path.split(":")[1]) for path in SCREENS.values()
    ]


@pytest.mark.parametrize("owner", _classes(), ids=lambda c: c.__name__)
def test_every_action_has_a_key_the_browser_leaves_alone(owner: type) -> None:
    """Each action bound on a screen keeps at least one key that is not the browser's, once the
    browser keymap is applied; and every shown binding's key is such a key."""
    keys_by_action: dict[str, list[str]] = {}
    for binding in owner.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            key = BROWSER_KEYMAP.get(binding.id or "", key.strip())
            keys_by_action.setdefault(binding.action, []).append(key)
            if binding.show:
                assert key not in BROWSER_TAKEN, (owner.__name__, binding.action, key)
    for action, keys in keys_by_action.items():
        assert any(k not in BROWSER_TAKEN for k in keys), (owner.__name__, action, keys)


@pytest.mark.parametrize("owner", _classes(), ids=lambda c: c.__name__)
def test_no_two_actions_share_a_key_in_a_browser(owner: type) -> None:
    """Moving an action onto a free key must not land it on another action's key (Run checks
    took F3 in a browser, where the exercise screen's "my solution" already was)."""
    actions_by_key: dict[str, set[str]] = {}
    for binding in owner.BINDINGS:
        for key in binding.key.split(","):
            key = BROWSER_KEYMAP.get(binding.id or "", key.strip())
            actions_by_key.setdefault(key, set()).add(binding.action)
    shared = {key: actions for key, actions in actions_by_key.items() if len(actions) > 1}
    assert not shared, (owner.__name__, shared)


def test_the_keymap_covers_every_taken_key() -> None:
    """No binding anywhere sits on a browser key without a browser replacement."""
    for owner in _classes():
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):
                if key.strip() in BROWSER_TAKEN:
                    assert binding.id in BROWSER_KEYMAP, (owner.__name__, binding.action, key)


@pilot_test
async def test_practice_and_exam_keys_in_a_browser(data_dir: Path, clock: FakeClock) -> None:
    """PgDn goes to the next question and the footer says so; Ctrl+E finishes an exam."""
    questions = ("fx-single", "fx-true-false")
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=questions)
    app._browser = True
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, QuizScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "pgdn Next" in text and "^n" not in text, text.splitlines()[-1]
        await pilot.press("pagedown")
        assert app.screen.session.index == 1
    app = make_app(data_dir, clock, mode="exam", seed=2, questions=EXAM, time_limit_s=600)
    app._browser = True
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ExamScreen)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "^e Finish" in footer and "^t" not in footer, footer
        await pilot.press("ctrl+e")
        assert "unanswered" in screen_text(app)


@pilot_test
async def test_exercise_keys_in_a_browser(data_dir: Path, clock: FakeClock) -> None:
    """Run checks moves from F5 to F3 (footer, button and status line), and $EDITOR is hidden and
    does nothing, while the terminal keeps both."""
    for browser in (False, True):
        app = make_exercise_app(data_dir / str(browser), clock)
        app._browser = browser
        async with app.run_test(size=(160, 40)) as pilot:
            screen = await open_exercise(pilot)
            await pilot.pause()
            text = screen_text(app)
            footer = text.splitlines()[-1]
            shown = {b.binding.id: b.binding.key for b in app.active_bindings.values() if b.enabled}
            if browser:
                assert shown["run_checks"] == "f3" and "ext_editor" not in shown
                assert "f3 Run checks" in footer and "$EDITOR" not in footer, footer
                assert "(F3)" in text and "F3 runs the public checks" in text
                screen.editor.blur()
                await pilot.press("e")  # the hidden key of $EDITOR does nothing either
                await pilot.pause()
                assert app.screen is screen
            else:
                assert shown["run_checks"] == "f5" and "ext_editor" in shown
                assert "(F5)" in text and "F5 runs the public checks" in text
