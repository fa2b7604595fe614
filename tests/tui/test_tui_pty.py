"""The installed ``grader`` in a real pseudo-terminal: answer, get killed with SIGKILL, lose nothing."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.study.paths import course_store_path
from grader.study.store import ProgressStore

COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"
ANSI = re.compile(
    r"\x1b(?:\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|[=>78DEHM])"
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def _grader_command() -> list[str]:
    """The installed console script (next to this Python first), else ``python -m grader``."""
    found = shutil.which(
        "grader", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    return [found] if found else [sys.executable, "-m", "grader"]


class Terminal:
    """A child process on a pseudo-terminal of a fixed size, with its output collected."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (100, 32)):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.output = ""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk.decode("utf-8", "replace")

    def text(self) -> str:
        """Everything drawn so far, without escape sequences."""
        with self._lock:
            return ANSI.sub("", self.output)

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        """Wait until ``needle`` has been drawn (counting from the last ``mark``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text()[self._mark :]:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; screen text:\n{self.text()[-3000:]}")

    _mark = 0

    def mark(self) -> None:
        """Only text drawn from now on counts for ``wait_for``."""
        self._mark = len(self.text())

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color", GRADER_DATA_DIR=str(tmp_path / "data"), COLUMNS="100", LINES="32"
    )
    env["GRADER_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def _planned_order(questions: tuple[str, ...], seed: int, tmp_path: Path) -> list[str]:
    """The order a seeded session shows ``questions`` in (selection depends on the seed only)."""
    study = Study.open(resolve_course(COURSE), tmp_path / "plan", clock=FakeClock())
    try:
        session = study.new_session("practice", ids=questions, seed=seed)
        return [item.question_id for item in session.items]
    finally:
        study.close()


def test_sigkill_loses_no_answer(tmp_path: Path) -> None:
    """Answers given in a real terminal are all in the store after the app is SIGKILLed."""
    questions = ("fx-true-false", "fx-fill", "fx-numeric")
    keys = {"fx-true-false": "2\r", "fx-fill": "zero_grad\r", "fx-numeric": "13\r"}
    expected = {
        "fx-true-false": (False, 1.0),
        "fx-fill": ("zero_grad", 1.0),
        "fx-numeric": ("13", 0.0),
    }
    order = _planned_order(questions, 5, tmp_path)
    args = [
        *_grader_command(),
        "quiz",
        "--mode",
        "practice",
        "--course",
        str(COURSE),
        "--lang",
        "en",
        "--seed",
        "5",
    ]
    args += [arg for qid in questions for arg in ("--question", qid)]
    term = Terminal(args, _env(tmp_path))
    try:
        term.wait_for("Question 1 of 3")
        for number, qid in enumerate(order, start=1):
            term.mark()
            term.send(keys[qid])
            term.wait_for("Correct" if expected[qid][1] == 1.0 else "Wrong")
            if number < len(order):
                term.mark()
                term.send("\x0e")  # Ctrl+N
                term.wait_for(f"Question {number + 1} of 3")
    finally:
        term.kill()
    assert term.process.returncode == -signal.SIGKILL
    store = ProgressStore(course_store_path(resolve_course(COURSE).key, tmp_path / "data"))
    found = {a.question_id: (a.response, a.score) for a in store.answers()}
    store.close()
    assert found == expected


def test_sigkill_keeps_the_exam(tmp_path: Path) -> None:
    """An exam answer given in a real terminal is saved with the exam before the app is killed."""
    args = [*_grader_command(), "quiz", "--course", str(COURSE), "--lang", "en", "--time", "5m"]
    args += ["--question", "fx-true-false", "--question", "fx-numeric", "--seed", "1"]
    term = Terminal(args, _env(tmp_path))
    try:
        term.wait_for("05:00 left")
        term.mark()
        term.send("1")  # True for fx-true-false, or 1 typed into fx-numeric
        term.wait_for("1/2 answered")
    finally:
        term.kill()
    store = ProgressStore(course_store_path(resolve_course(COURSE).key, tmp_path / "data"))
    exam = store.active_session("exam")
    store.close()
    assert exam is not None
    first = _planned_order(("fx-true-false", "fx-numeric"), 1, tmp_path)[0]
    responses = {i["question_id"]: i["response"] for i in exam.state["items"]}
    if first == "fx-true-false":
        assert responses == {"fx-true-false": True, "fx-numeric": None}
    else:
        assert responses == {"fx-true-false": None, "fx-numeric": "1"}


def test_a_second_app_cannot_open_the_running_exam(tmp_path: Path) -> None:
    """Two app processes on one data directory (two browser tabs of ``grader serve``): the second
    is told the exam is open elsewhere and leaves it alone; once the first is gone it resumes."""
    exam_args = [*_grader_command(), "quiz", "--course", str(COURSE), "--lang", "en", "--seed", "1"]
    exam_args += ["--question", "fx-true-false", "--question", "fx-numeric"]
    first = Terminal([*exam_args, "--time", "5m"], _env(tmp_path))
    try:
        first.wait_for("05:00 left")
        first.mark()
        first.send("1")
        first.wait_for("1/2 answered")
        store = ProgressStore(course_store_path(resolve_course(COURSE).key, tmp_path / "data"))
        before = store.active_session("exam")
        store.close()
        assert before is not None
        # --time would start a new exam (abandoning the stored one); --mode exam resumes it
        second = Terminal([*exam_args, "--mode", "exam"], _env(tmp_path))
        try:
            second.wait_for("open in another tab or window")
            second.mark()
            second.send("\x1b[13~")  # F3: the home screen's statistics, so it is usable
            second.wait_for("Statistics")
        finally:
            second.kill()
        first.mark()
        first.send("\x0e")  # Ctrl+N, then answer the other question
        first.wait_for("Question 2")
        first.send("2")
        first.wait_for("2/2 answered")
    finally:
        first.kill()
    store = ProgressStore(course_store_path(resolve_course(COURSE).key, tmp_path / "data"))
    after = store.active_session("exam")
    store.close()
    assert after is not None and after.id == before.id
    assert all(item["response"] is not None for item in after.state["items"])
    third = Terminal([*exam_args, "--mode", "exam"], _env(tmp_path))  # the first one is dead
    try:
        third.wait_for("Resumed your unfinished exam")
    finally:
        third.kill()
