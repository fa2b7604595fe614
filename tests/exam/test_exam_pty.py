"""`grader quiz --exam FILE` in a real pseudo-terminal: SIGKILLed mid-exam, it loses nothing,
and the clock kept running; submitting writes the answers file and says where."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from exam_support import HERE, build

sys.path.insert(0, str(HERE.parent / "tui"))
from test_tui_pty import Terminal, _env, _grader_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def test_exam_file_survives_sigkill(tmp_path: Path) -> None:
    out = build(tmp_path, ["erin"], spec=HERE / "views_spec.yaml")
    exam = out / "erin.exam"
    args = [*_grader_command(), "quiz", "--exam", str(exam), "--lang", "en"]
    term = Terminal(args, _env(tmp_path))
    try:
        term.wait_for("answered")
        term.wait_for("due ")
        term.send("2")
        term.wait_for("1/2 answered")
    finally:  # a failed wait must not leave the app running (it spins once its terminal closes)
        term.kill()
    store = list((tmp_path / "data").rglob("*.sqlite*")) or list((tmp_path / "data").rglob("*"))
    assert store, "the exam's store is on disk"
    time.sleep(2.2)  # the clock runs while the app is not
    term = Terminal(args, _env(tmp_path))
    try:
        term.wait_for("1/2 answered")
        term.send("\x14")  # Ctrl+T: finish
        term.wait_for("Submit the exam?")
        term.mark()
        term.send("\r")  # the focused button: Submit
        term.wait_for("Hand in this file", timeout=20)
    finally:
        term.kill()
    handed = json.loads((out / "erin.answers.json").read_text(encoding="utf-8"))
    assert sum(a["response"] is not None for a in handed["answers"]) == 1
    assert handed["time_used_s"] >= 2.0
