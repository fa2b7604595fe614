"""The served app in a real browser (headless Chromium, tests/browser_support.py): open the printed
link, wait for the home screen, answer a question with keys, find the answer in the progress
store, keep a screenshot (test-artifacts/serve-answered.png)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_support import artifact
from serve_support import one_question_course, served

from grader.course import resolve_course
from grader.study.paths import course_store_path
from grader.study.store import ProgressStore

ANSI = re.compile(
    r"\x1b(?:\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|[=>78])"
)


class Screen:
    """What the page's terminal was sent, as text: xterm.js draws on a canvas, so the test reads
    the websocket frames the page received (the same bytes it draws)."""

    def __init__(self, page: Any) -> None:
        self.chunks: list[bytes] = []
        page.on("websocket", self._attach)

    def _attach(self, socket: Any) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        self.chunks.append(payload if isinstance(payload, bytes) else payload.encode())

    def text(self) -> str:
        return ANSI.sub("", b"".join(self.chunks).decode("utf-8", "replace"))

    def wait_for(self, page: Any, needle: str, timeout: float = 60) -> None:
        _wait(page, lambda: needle in self.text(), timeout, lambda: self.text()[-2000:], needle)


def _wait(
    page: Any, ready: Callable[[], bool], timeout: float, show: Callable[[], str], what: str
) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what!r} never came; last output:\n{show()}")
        page.wait_for_timeout(100)


def test_answer_a_question_in_the_browser(browser: Any, tmp_path: Path) -> None:
    course = one_question_course(tmp_path / "course")
    data = tmp_path / "data"
    token = "browser-test-token-0123456789"
    args = ("--course", str(course), "--lang", "en", "--token", token)
    with served(*args, data_dir=data) as server:
        page = browser.new_page(viewport={"width": 1100, "height": 720})
        try:
            screen = Screen(page)
            page.goto(server.printed_url, wait_until="domcontentloaded")
            screen.wait_for(page, "Web quiz")  # the home screen lists the course's bank
            screen.wait_for(page, "Start")
            page.locator(".textual-terminal").click()
            page.keyboard.press("Control+s")  # Start: a practice round of the one question
            screen.wait_for(page, "Question 1 of 1")
            screen.wait_for(page, "pgdn")  # Next's browser key (Ctrl+N opens a window)
            screen.wait_for(page, "in the optimizer's state dict")  # the last option drawn
            # options are shuffled per session: press the number the right one is drawn with
            right = re.search(r"(\d)\. in the tensor's", screen.text())
            assert right, screen.text()[-2000:]
            page.keyboard.press(right.group(1))
            page.keyboard.press("Enter")
            store_path = course_store_path(resolve_course(course).key, data)
            answers: list[Any] = []

            def answered() -> bool:
                store = ProgressStore(store_path)
                try:
                    answers[:] = store.answers()
                finally:
                    store.close()
                return bool(answers)

            _wait(page, answered, 20, screen.text, "an answer in the progress store")
            assert [(a.question_id, a.response, a.score) for a in answers] == [
                ("web-single", 0, 1.0)
            ]
            page.wait_for_timeout(300)  # let the canvas draw the feedback
            shot = page.screenshot(path=str(artifact("serve-answered.png")))
            assert len(shot) > 1000
        finally:
            page.close()
