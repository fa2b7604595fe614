"""At 80 columns the exercise screen's footer has more keys than room (an accepted exercise in
review adds F4 and F3). The spare keys ($EDITOR, Watch, Reset, then Back) leave the footer and
keep working, so the keys a learner needs and the quit key, last, stay in sight."""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_pilot import make_exercise_app, open_exercise, paste_code, screen_text, wait_idle
from quiz_pilot import pilot_test

from grader.study.clock import FakeClock
from grader.tui.screens.exercise import ExerciseScreen
from grader.tui.screens.exercise_list import ExerciseListScreen

WANTED = {
    "en": ("f1 Hint", "f5 Run checks", "f6 Submit", "f4 Solution", "f3 My solution"),
    "zh": ("f1 提示", "f5 运行检查", "f6 提交评分", "f4 参考解答", "f3 我的解答"),
}
IN_BROWSER = {  # F5 reloads a page: Run checks moves to F3, My solution to F10
    "en": ("f1 Hint", "f3 Run checks", "f6 Submit", "f4 Solution", "f10 My solution"),
    "zh": ("f1 提示", "f3 运行检查", "f6 提交评分", "f4 参考解答", "f10 我的解答"),
}
QUIT = {"en": "^q Quit", "zh": "^q 退出"}


def footer(app: object) -> str:
    return screen_text(app).splitlines()[-1].rstrip()  # type: ignore[arg-type]


@pytest.mark.parametrize("browser", [False, True], ids=["terminal", "browser"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pilot_test
async def test_an_accepted_exercise_keeps_its_keys_and_quit_in_an_80_column_footer(
    data_dir: Path, clock: FakeClock, lang: str, browser: bool
) -> None:
    wanted = (IN_BROWSER if browser else WANTED)[lang]
    app = make_exercise_app(data_dir, clock, lang=lang, browser=browser)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, "def add_one(x):\n    return x + 1\n")
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        wide = footer(app)
        assert all(key in wide for key in wanted), wide
        assert "f8" in wide and "esc" in wide and wide.endswith(QUIT[lang]), wide

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = footer(app)
        assert all(key in narrow for key in wanted), narrow
        assert narrow.endswith(QUIT[lang]), narrow  # nothing cut off at the right edge
        assert "f8" not in narrow and "^o" not in narrow, narrow

        await pilot.press("f8")  # a spare key still works when the footer leaves it out
        await pilot.pause()
        assert screen.watching
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("escape")  # the first Esc leaves the editor
        await pilot.pause()
        await pilot.press("escape")  # Back, left out too, still goes back
        await pilot.pause()
        assert isinstance(app.screen, ExerciseListScreen)

        await pilot.resize_terminal(160, 40)  # room again: every key comes back
        await pilot.press("enter")  # the list's cursor is still on the exercise
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert "f8" in footer(app) and "esc" in footer(app), footer(app)
